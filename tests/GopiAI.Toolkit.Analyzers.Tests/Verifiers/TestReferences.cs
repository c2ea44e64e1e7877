using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Testing;

namespace GopiAI.Toolkit.Analyzers.Tests.Verifiers;

/// <summary>
/// Reference sets for analyzer and code-fix tests. <see cref="ReferenceAssemblies.Net.Net80"/> is the newest set the
/// 1.1.4 testing library resolves (it restores the ref pack through NuGet the first time); a hand-made net10.0 set fails.
/// </summary>
internal static class TestReferences
{
    /// <summary>The default: .NET 8 reference assemblies (BCL only).</summary>
    public static ReferenceAssemblies Default { get; } = ReferenceAssemblies.Net.Net80;

    /// <summary>.NET 8 plus Microsoft.Extensions.ObjectPool (for <c>ObjectPool&lt;T&gt;.Get</c> tests).</summary>
    public static ReferenceAssemblies WithObjectPool { get; } = ReferenceAssemblies.Net.Net80.AddPackages(
        ImmutableArray.Create(new PackageIdentity("Microsoft.Extensions.ObjectPool", "10.0.15")));

    /// <summary>.NET 8 plus Microsoft.Extensions.DependencyInjection.Abstractions (for DI tests; IHttpClientFactory tests declare a source stub).</summary>
    public static ReferenceAssemblies WithExtensions { get; } = ReferenceAssemblies.Net.Net80.AddPackages(
        ImmutableArray.Create(
            new PackageIdentity("Microsoft.Extensions.ObjectPool", "10.0.15"),
            new PackageIdentity("Microsoft.Extensions.DependencyInjection.Abstractions", "10.0.15")));
}
