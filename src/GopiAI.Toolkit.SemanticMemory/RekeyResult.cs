namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>What <see cref="SemanticMemoryManager.RekeyAsync"/> did.</summary>
/// <param name="Documents">Documents re-sealed (a chunked document counts once).</param>
/// <param name="Encrypted">Whether the file is now encrypted (false after decrypting it).</param>
public sealed record RekeyResult(int Documents, bool Encrypted);
