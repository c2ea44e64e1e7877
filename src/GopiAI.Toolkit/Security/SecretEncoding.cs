namespace GopiAI.Toolkit.Security;

/// <summary>How a secret is written as text, e.g. in an environment variable.</summary>
public enum SecretEncoding
{
    /// <summary>Standard Base64 (RFC 4648 §4, padding optional, white space ignored).</summary>
    Base64,

    /// <summary>Hexadecimal, two digits per byte, either case.</summary>
    Hex,
}
