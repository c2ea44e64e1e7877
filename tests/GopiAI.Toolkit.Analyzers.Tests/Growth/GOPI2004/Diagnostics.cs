using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.DisposablesInCollectionAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2004;

public sealed class Diagnostics
{
    private const string Connection = "\n" + """
        public sealed class Connection : System.IDisposable
        {
            public Connection(string host) { }
            public void Dispose() { }
        }
        """;

    [Fact]
    public async Task OwnerNeverDisposesItems_ReportsOnField()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;

            public sealed class ConnectionPool
            {
                private readonly List<Connection> {|GOPI2004:_connections|} = new();

                public Connection Open(string host)
                {
                    var connection = new Connection(host);
                    _connections.Add(connection);
                    return connection;
                }
            }
            """ + Connection);
    }

    [Fact]
    public async Task RemovedWithoutDispose_ReportsOnRemoval()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Concurrent;

            public sealed class Sessions : IDisposable
            {
                private readonly ConcurrentDictionary<string, Connection> _byHost = new();

                public Connection For(string host) => _byHost.GetOrAdd(host, h => new Connection(h));

                public void Forget(string host) => {|GOPI2004:_byHost.TryRemove(host, out _)|};

                public void Dispose()
                {
                    foreach (var connection in _byHost.Values)
                    {
                        connection.Dispose();
                    }
                }
            }
            """ + Connection);
    }

    [Fact]
    public async Task ClearedWithoutDispose_ReportsOnClear()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;

            public sealed class Workers : IDisposable
            {
                private readonly List<Connection> _items = new();

                public void Add(string host) => _items.Add(new Connection(host));

                public void Reset() => {|GOPI2004:_items.Clear()|};

                public void Dispose()
                {
                    foreach (var item in _items)
                    {
                        item.Dispose();
                    }

                    _items.Clear();
                }
            }
            """ + Connection);
    }

    [Fact]
    public async Task DictionaryIndexerWithCreatedValues_NeverDisposed_Reports()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;

            public sealed class Timers
            {
                private readonly Dictionary<string, System.Threading.Timer> {|GOPI2004:_timers|} = new();

                public void Start(string name) => _timers[name] = new System.Threading.Timer(_ => { }, null, 1000, 1000);
            }
            """);
    }
}
