using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    GopiAI.Toolkit.Analyzers.Growth.DisposablesInCollectionAnalyzer,
    GopiAI.Toolkit.CodeFixes.Growth.DisposeItemsCodeFixProvider>;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth.GOPI2004;

public sealed class CodeFix
{
    [Fact]
    public async Task ListOfTimers_BlockDispose_DisposesEachItemThenClears()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;

            public sealed class Scheduler : IDisposable
            {
                private readonly List<Timer> {|GOPI2004:_timers|} = new();
                private bool _disposed;

                public void Every(TimeSpan period, Action action) => _timers.Add(new Timer(_ => action(), null, period, period));

                public void Dispose()
                {
                    _disposed = true;
                }
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.Threading;

            public sealed class Scheduler : IDisposable
            {
                private readonly List<Timer> _timers = new();
                private bool _disposed;

                public void Every(TimeSpan period, Action action) => _timers.Add(new Timer(_ => action(), null, period, period));

                public void Dispose()
                {
                    _disposed = true;
                    foreach (var item in _timers)
                    {
                        item.Dispose();
                    }
                    _timers.Clear();
                }
            }
            """);
    }

    [Fact]
    public async Task DictionaryOfStreams_ExpressionDispose_DisposesTheValues()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.IO;

            public sealed class Files : IDisposable
            {
                private readonly Dictionary<string, Stream> {|GOPI2004:_open|} = new();
                private int _count;

                public Stream Open(string path)
                {
                    var stream = new FileStream(path, FileMode.Open);
                    _open[path] = stream;
                    return stream;
                }

                public void Dispose() => _count = 0;
            }
            """,
            """
            using System;
            using System.Collections.Generic;
            using System.IO;

            public sealed class Files : IDisposable
            {
                private readonly Dictionary<string, Stream> _open = new();
                private int _count;

                public Stream Open(string path)
                {
                    var stream = new FileStream(path, FileMode.Open);
                    _open[path] = stream;
                    return stream;
                }

                public void Dispose()
                {
                    _count = 0;
                    foreach (var item in _open.Values)
                    {
                        item.Dispose();
                    }
                    _open.Clear();
                }
            }
            """);
    }
}
