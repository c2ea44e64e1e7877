namespace GopiAI.Toolkit.RateLimiting;

/// <summary>A snapshot of one limiter of a <see cref="RateLimitedOperation"/>.</summary>
/// <param name="Name">The limiter name.</param>
/// <param name="Policy">The settings in words (e.g. <c>token bucket of 100, 50 per 1 s, queue 0</c>).</param>
/// <param name="AvailablePermits">Permits (tokens or free slots) available now.</param>
/// <param name="Queued">Calls waiting for a permit now.</param>
/// <param name="Acquired">Calls admitted since the limiter was created.</param>
/// <param name="Rejected">Calls rejected since the limiter was created.</param>
public sealed record RateLimitStats(string Name, string Policy, long AvailablePermits, long Queued, long Acquired, long Rejected);
