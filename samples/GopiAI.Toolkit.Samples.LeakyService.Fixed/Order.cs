namespace GopiAI.Toolkit.Samples.LeakyService.Fixed;

/// <summary>An order placed by a customer.</summary>
internal sealed record Order(string Id, string CustomerId, decimal Amount);
