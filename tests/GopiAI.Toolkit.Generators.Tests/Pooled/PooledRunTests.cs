using GopiAI.Toolkit.Generators.Tests.Infrastructure;

namespace GopiAI.Toolkit.Generators.Tests.Pooled;

/// <summary>Compiles [Pooled] classes and checks Rent, Return and RentScoped.</summary>
[Collection(RunCollection.Name)]
public sealed class PooledRunTests : IDisposable
{
    private const string Type = "Run.Pooled.ScratchBuffer";

    private readonly LoadedAssembly _assembly = GeneratorHarness.CompileAndLoad("""
        using System;
        using GopiAI.Toolkit;
        using Microsoft.Extensions.ObjectPool;

        namespace Run.Pooled;

        [Pooled(MaxRetained = 2)]
        public sealed partial class ScratchBuffer
        {
            public static int Created;
            public ScratchBuffer() => Created++;
            public byte[] Data { get; } = new byte[4096];
            public int Used;
            public void Reset() { Array.Clear(Data); Used = 0; }

            public static ScratchBuffer UseScoped()
            {
                using var lease = RentScoped();
                lease.Value.Used = 7;
                return lease.Value;
            }
        }

        [Pooled]
        public sealed partial class Builder : IResettable
        {
            public System.Text.StringBuilder Text { get; } = new();
            public bool TryReset() { Text.Clear(); return true; }
        }
        """);

    public void Dispose() => _assembly.Dispose();

    [Fact]
    public void Rent_AfterReturn_ReusesResetInstance()
    {
        var first = _assembly.InvokeStatic(Type, "Rent")!;
        ((dynamic)first).Used = 3;
        ((dynamic)first).Data[0] = (byte)9;
        _assembly.InvokeStatic(Type, "Return", first);

        dynamic second = _assembly.InvokeStatic(Type, "Rent")!;

        Assert.Same(first, second);
        Assert.Equal(0, (int)second.Used);
        Assert.Equal(0, (int)second.Data[0]);
    }

    [Fact]
    public void RentScoped_EndOfScope_ReturnsToPool()
    {
        var used = _assembly.InvokeStatic(Type, "UseScoped")!;

        var next = _assembly.InvokeStatic(Type, "Rent");

        Assert.Same(used, next);
        Assert.Equal(0, (int)((dynamic)next!).Used);
    }

    [Fact]
    public void Return_MoreThanMaxRetained_ExtraInstancesDropped()
    {
        var rented = Enumerable.Range(0, 4).Select(_ => _assembly.InvokeStatic(Type, "Rent")!).ToList();
        Assert.Equal(4, rented.Distinct().Count());
        foreach (var item in rented)
        {
            _assembly.InvokeStatic(Type, "Return", item);
        }

        var again = Enumerable.Range(0, 4).Select(_ => _assembly.InvokeStatic(Type, "Rent")!).ToList();

        Assert.Equal(2, again.Count(rented.Contains));
    }

    [Fact]
    public void Return_Null_ThrowsArgumentNullException()
    {
        var error = Assert.Throws<System.Reflection.TargetInvocationException>(() => _assembly.InvokeStatic(Type, "Return", [null]));

        Assert.IsType<ArgumentNullException>(error.InnerException);
    }

    [Fact]
    public void Rent_ResettableType_TryResetCalledOnReturn()
    {
        dynamic builder = _assembly.InvokeStatic("Run.Pooled.Builder", "Rent")!;
        builder.Text.Append("dirty");
        _assembly.InvokeStatic("Run.Pooled.Builder", "Return", (object)builder);

        dynamic again = _assembly.InvokeStatic("Run.Pooled.Builder", "Rent")!;

        Assert.Same(builder, again);
        Assert.Equal(0, (int)again.Text.Length);
    }
}
