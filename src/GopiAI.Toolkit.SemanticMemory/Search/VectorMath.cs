using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>Vector kernels: normalisation, symmetric int8 quantisation and the int8 dot product.</summary>
internal static class VectorMath
{
    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0 && MathF.Abs(norm - 1f) > 1e-6f)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }

    /// <summary>Quantises to int8 with one scale per vector (max |x| maps to 127); returns the scale.</summary>
    public static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> destination)
    {
        var max = TensorPrimitives.MaxMagnitude(vector);
        var max1 = MathF.Abs(max);
        if (max1 == 0)
        {
            destination.Clear();
            return 0f;
        }

        var scale = max1 / 127f;
        for (var i = 0; i < vector.Length; i++)
        {
            destination[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] / scale), -127f, 127f);
        }

        return scale;
    }

    public static void Dequantize(ReadOnlySpan<sbyte> source, float scale, Span<float> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] * scale;
        }
    }

    /// <summary>Exact int32 dot product of two int8 vectors (products fit in int16; sums are widened to int32).</summary>
    public static int DotInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var n = a.Length;
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && n >= 32)
        {
            var acc = Vector256<int>.Zero;
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            for (; i <= n - 32; i += 32)
            {
                var va = Vector256.LoadUnsafe(ref ra, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref rb, (nuint)i);
                var (aLo, aHi) = Vector256.Widen(va);
                var (bLo, bHi) = Vector256.Widen(vb);

                // pmaddwd: multiplies int16 pairs and adds adjacent products into int32 lanes.
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(aLo, bLo));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(aHi, bHi));
            }

            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector128<int>.Zero;
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            for (; i <= n - 16; i += 16)
            {
                var (aLo, aHi) = Vector128.Widen(Vector128.LoadUnsafe(ref ra, (nuint)i));
                var (bLo, bHi) = Vector128.Widen(Vector128.LoadUnsafe(ref rb, (nuint)i));
                var (p0, p1) = Vector128.Widen(aLo * bLo);
                var (p2, p3) = Vector128.Widen(aHi * bHi);
                acc += p0 + p1 + p2 + p3;
            }

            sum = Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
