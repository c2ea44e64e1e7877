using GopiAI.Toolkit.Analyzers.Usage;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage.GOPI0011;

public class Valid
{
    [Fact]
    public Task RecordsCollectionsNullablesAndEnums_NoDiagnostic() => UsageVerifier<AttributeOptionsAnalyzer>.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        public enum Tier { Free, Paid }

        public sealed record Profile(int Id, string? Name, IReadOnlyList<string> Roles, Dictionary<string, double> Scores, int? Age, DateTimeOffset? Seen, Tier Tier)
        {
            public string? Note { get; set; }
        }

        public struct Point { public int X { get; set; } public int Y { get; set; } }

        public partial class Service
        {
            [Cached(60, Distributed = true)]
            public partial ValueTask<Profile> GetAsync(int id);
            private ValueTask<Profile> GetAsyncCore(int id) => default;

            [Cached(60, Distributed = true)]
            public partial Point[] Points(int id);
            private Point[] PointsCore(int id) => [];

            [Cached(60, Distributed = true)]
            public partial string? Name(Guid id);
            private string? NameCore(Guid id) => null;

            [Cached(60)]
            public partial object NotDistributed(int id);
            private object NotDistributedCore(int id) => id;
        }
        """);
}
