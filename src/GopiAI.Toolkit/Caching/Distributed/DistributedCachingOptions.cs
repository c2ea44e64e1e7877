using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.Caching;

/// <summary>Settings of the distributed layer that <c>UseGopiToolkit()</c> (or <see cref="CacheManager.UseDistributed"/>) binds to a <see cref="CacheManager"/>.</summary>
public sealed class DistributedCachingOptions
{
    /// <summary>
    /// Gets or sets how long an L2 entry lives when its method or named cache has no time to live (default 1 hour): the L2
    /// is shared and outlives processes, so it never keeps an entry forever.
    /// </summary>
    public TimeSpan DefaultExpiration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the 32-byte AES-256 key that encrypts the L2 payloads of sensitive caches (<c>Sensitive = true</c>). Every
    /// instance sharing the L2 needs the same key. Without one, sensitive values never leave the process (L1 only). The key
    /// stays in its <see cref="SecretBuffer"/>; the caller keeps ownership and disposes it after the manager.
    /// </summary>
    public SecretBuffer? SensitiveValueKey { get; set; }
}
