using System.Security.Cryptography;
using System.Text;
using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.SemanticMemory.Embeddings;

/// <summary>Embeddings by (model, SHA-256 of the UTF-8 text), in the runtime's <see cref="LruCache{TKey, TValue}"/>.</summary>
internal sealed class EmbeddingCache : IDisposable
{
    private readonly LruCache<Key, float[]>? _cache;
    private readonly string _model;

    public EmbeddingCache(string model, int capacity)
    {
        _model = model;
        if (capacity > 0)
        {
            _cache = new LruCache<Key, float[]>(new LruCacheOptions { Name = "GopiAI.SemanticMemory.Embeddings", MaxSize = capacity });
        }
    }

    public bool Enabled => _cache is not null;

    public Key KeyFor(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return new Key(_model, Hash256.From(hash));
    }

    public bool TryGet(Key key, out float[] vector)
    {
        if (_cache is not null && _cache.TryGet(key, out var found))
        {
            vector = found;
            return true;
        }

        vector = [];
        return false;
    }

    public void Set(Key key, float[] vector) => _cache?.Set(key, vector);

    public void Dispose() => _cache?.Dispose();

    internal readonly record struct Key(string Model, Hash256 Hash);
}

/// <summary>A SHA-256 digest as four 64-bit words (cheap equality and hashing).</summary>
internal readonly record struct Hash256(ulong A, ulong B, ulong C, ulong D)
{
    public static Hash256 From(ReadOnlySpan<byte> digest) => new(
        BitConverter.ToUInt64(digest),
        BitConverter.ToUInt64(digest[8..]),
        BitConverter.ToUInt64(digest[16..]),
        BitConverter.ToUInt64(digest[24..]));

    public static Hash256 Of(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return From(hash);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[32];
        BitConverter.TryWriteBytes(bytes, A);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), B);
        BitConverter.TryWriteBytes(bytes.AsSpan(16), C);
        BitConverter.TryWriteBytes(bytes.AsSpan(24), D);
        return bytes;
    }
}
