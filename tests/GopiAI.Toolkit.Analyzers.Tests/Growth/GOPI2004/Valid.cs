using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Growth.DisposablesInCollectionAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2004;

public sealed class Valid
{
    private const string Connection = "\n" + """
        public sealed class Connection : System.IDisposable
        {
            public Connection(string host) { }
            public void Dispose() { }
        }
        """;

    [Fact]
    public async Task ItemsDisposedOnRemovalClearAndDispose_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System;
            using System.Collections.Concurrent;

            public sealed class Sessions : IDisposable
            {
                private readonly ConcurrentDictionary<string, Connection> _byHost = new();

                public Connection For(string host) => _byHost.GetOrAdd(host, h => new Connection(h));

                public void Forget(string host)
                {
                    if (_byHost.TryRemove(host, out var connection))
                    {
                        connection.Dispose();
                    }
                }

                public void Reset()
                {
                    foreach (var connection in _byHost.Values)
                    {
                        connection.Dispose();
                    }

                    _byHost.Clear();
                }

                public void Dispose() => Reset();
            }
            """ + Connection);
    }

    [Fact]
    public async Task ItemsDisposedWithForEach_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System;
            using System.Collections.Generic;

            public sealed class Group : IDisposable
            {
                private readonly List<Connection> _items = new();

                public void Add(string host) => _items.Add(new Connection(host));

                public void Dispose() => _items.ForEach(i => i.Dispose());
            }
            """ + Connection);
    }

    [Fact]
    public async Task RemovedAtIndexAfterDispose_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System;
            using System.Collections.Generic;

            public sealed class Group : IDisposable
            {
                private readonly List<Connection> _items = new();

                public void Add(string host) => _items.Add(new Connection(host));

                public void DropFirst()
                {
                    _items[0].Dispose();
                    _items.RemoveAt(0);
                }

                public void Dispose()
                {
                    for (var i = 0; i < _items.Count; i++)
                    {
                        _items[i].Dispose();
                    }
                }
            }
            """ + Connection);
    }

    [Fact]
    public async Task ItemsHandedIn_NotOwned_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public sealed class Registry
            {
                private readonly List<Connection> _known = new();

                public void Register(Connection connection) => _known.Add(connection);

                public void Unregister(Connection connection) => _known.Remove(connection);
            }
            """ + Connection);
    }

    [Fact]
    public async Task DequeuedItemsHandedToConsumer_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System;
            using System.Collections.Generic;

            public sealed class Spares : IDisposable
            {
                private readonly Queue<Connection> _spares = new();

                public void Warm(string host) => _spares.Enqueue(new Connection(host));

                public Connection Take() => _spares.Dequeue();

                public void Dispose()
                {
                    while (_spares.TryDequeue(out var spare))
                    {
                        spare.Dispose();
                    }
                }
            }
            """ + Connection);
    }

    [Fact]
    public async Task CollectionHandedToOwner_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public sealed class Builder
            {
                private readonly List<Connection> _items = new();

                public void Add(string host) => _items.Add(new Connection(host));

                public Owner Build() => new Owner(_items);
            }

            public sealed class Owner(List<Connection> items)
            {
                public int Count => items.Count;
            }
            """ + Connection);
    }

    [Fact]
    public async Task NonDisposableItems_NoDiagnostic()
    {
        await Verify.VerifyNoDiagnosticsAsync("""
            using System.Collections.Generic;

            public sealed class Names
            {
                private readonly List<string> _names = new();

                public void Add(string name) => _names.Add(new string(name.ToCharArray()));

                public void Clear() => _names.Clear();
            }
            """);
    }
}
