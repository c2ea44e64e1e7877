using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.ObjectPool;

namespace GopiAI.Toolkit.Pooling;

/// <summary>Settings of a <see cref="ResourcePoolManager"/>. Bindable from configuration.</summary>
public sealed class ResourcePoolManagerOptions
{
    /// <summary>Gets or sets how many idle objects each pool keeps at most (the seed's <c>max_pool_size</c>, default 100).</summary>
    public int MaxPoolSize { get; set; } = 100;

    /// <summary>Gets or sets the period of the idle-resource cleanup (default 5 minutes).</summary>
    public TimeSpan CleanupInterval { get; set; } = CleanupScheduler.DefaultInterval;

    /// <summary>Gets or sets how long a pooled HTTP connection may live before it is replaced, so DNS changes are picked up (default 2 minutes).</summary>
    public TimeSpan HttpConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how long an idle pooled HTTP connection is kept (default 1 minute).</summary>
    public TimeSpan HttpConnectionIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the maximum concurrent connections per server for the shared handlers (default <see cref="int.MaxValue"/>).</summary>
    public int MaxConnectionsPerServer { get; set; } = int.MaxValue;

    /// <summary>Gets or sets a value indicating whether pools drop their idle objects when the memory monitor signals pressure (default <see langword="true"/>).</summary>
    public bool DrainOnMemoryPressure { get; set; } = true;

    internal void Validate()
    {
        Throw.IfNotPositive(MaxPoolSize, nameof(MaxPoolSize));
        Throw.IfNotPositive(CleanupInterval, paramName: nameof(CleanupInterval));
        Throw.IfNotPositive(HttpConnectionLifetime, allowInfinite: true, nameof(HttpConnectionLifetime));
        Throw.IfNotPositive(HttpConnectionIdleTimeout, allowInfinite: true, nameof(HttpConnectionIdleTimeout));
        Throw.IfNotPositive(MaxConnectionsPerServer, nameof(MaxConnectionsPerServer));
    }
}

/// <summary>
/// Owns object pools (Microsoft.Extensions.ObjectPool underneath) and shared HTTP connection pools: hands out and takes back
/// objects per type, reports created/rented/returned/outstanding counts (also on the <c>GopiAI.Toolkit.Pooling</c> meter),
/// drops idle objects on a <see cref="CleanupScheduler"/> and under memory pressure, and disposes delayed resources.
/// </summary>
/// <remarks>
/// <see cref="Shared"/> is the process-wide instance that <see cref="PoolFactory"/> registers into; its <see cref="Dispose"/> is ignored.
/// Pooled types implement <see cref="IResettable"/> or expose a public parameterless <c>Reset()</c> method, which runs on return.
/// </remarks>
public sealed class ResourcePoolManager : IDisposable
{
    private static readonly Lazy<ResourcePoolManager> s_shared = new(() => new ResourcePoolManager(new ResourcePoolManagerOptions(), null, null, MemoryMonitor.Shared, isShared: true));

    private readonly ConcurrentDictionary<Type, object> _typedPools = new();
    private readonly ConcurrentDictionary<string, IPoolStatistics> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<(SocketsHttpHandler Handler, HttpClient Client)>> _http = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rentedAtLastCleanup = new(StringComparer.Ordinal);
    private readonly ResourcePoolManagerOptions _options;
    private readonly MemoryMonitor? _memoryMonitor;
    private readonly Meter? _ownedMeter;
    private readonly IDisposable _cleanupRegistration;
    private readonly bool _isShared;
    private int _disposed;

    /// <summary>Creates a manager with default options and the system clock.</summary>
    public ResourcePoolManager()
        : this(new ResourcePoolManagerOptions())
    {
    }

    /// <summary>Creates a manager.</summary>
    /// <param name="options">Pool sizes, cleanup period and HTTP connection settings.</param>
    /// <param name="timeProvider">Drives the cleanup scheduler; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <param name="meterFactory">Creates the <c>GopiAI.Toolkit.Pooling</c> meter; <see langword="null"/> uses a meter owned by this manager.</param>
    /// <param name="memoryMonitor">The monitor whose pressure signal drains idle objects; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public ResourcePoolManager(ResourcePoolManagerOptions options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null, MemoryMonitor? memoryMonitor = null)
        : this(options, timeProvider, meterFactory, memoryMonitor, isShared: false)
    {
    }

    private ResourcePoolManager(ResourcePoolManagerOptions options, TimeProvider? timeProvider, IMeterFactory? meterFactory, MemoryMonitor? memoryMonitor, bool isShared)
    {
        Throw.IfNull(options);
        options.Validate();
        _options = options;
        _isShared = isShared;
        Scheduler = new CleanupScheduler(timeProvider, options.CleanupInterval);
        _cleanupRegistration = Scheduler.Register(() => CleanupIdle());

        var meter = meterFactory?.Create(ToolkitInfo.PoolingMeterName, ToolkitInfo.Version)
            ?? (_ownedMeter = new Meter(ToolkitInfo.PoolingMeterName, ToolkitInfo.Version));
        meter.CreateObservableCounter("gopi.pool.created", () => Observe(static s => s.Created), "{object}", "Objects created because the pool was empty.");
        meter.CreateObservableCounter("gopi.pool.rented", () => Observe(static s => s.Rented), "{object}", "Objects handed out.");
        meter.CreateObservableCounter("gopi.pool.returned", () => Observe(static s => s.Returned), "{object}", "Objects given back.");
        meter.CreateObservableUpDownCounter("gopi.pool.outstanding", () => Observe(static s => s.Outstanding), "{object}", "Objects rented and not yet returned.");

        _memoryMonitor = memoryMonitor;
        if (memoryMonitor is not null)
        {
            memoryMonitor.MemoryPressure += OnMemoryPressure;
        }
    }

    /// <summary>Gets the process-wide manager that <see cref="PoolFactory"/> registers pools into (subscribed to <see cref="MemoryMonitor.Shared"/>).</summary>
    public static ResourcePoolManager Shared => s_shared.Value;

    /// <summary>Gets the scheduler that runs the idle cleanup and delayed disposals.</summary>
    public CleanupScheduler Scheduler { get; }

    /// <summary>Gets the options in use.</summary>
    public ResourcePoolManagerOptions Options => _options;

    /// <summary>Rents a <typeparamref name="T"/> from this manager's pool for the type (created on first use, or the one registered by <see cref="PoolFactory"/>).</summary>
    /// <typeparam name="T">The pooled type.</typeparam>
    /// <returns>An object; give it back with <see cref="ReturnObject{T}(T)"/>.</returns>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public T GetObject<T>()
        where T : class, new() => GetPool<T>().Get();

    /// <summary>Gives back an object rented with <see cref="GetObject{T}"/>: it is reset and retained, or dropped (and disposed if disposable) when the pool is full.</summary>
    /// <typeparam name="T">The pooled type.</typeparam>
    /// <param name="obj">The object; the caller must not use it afterwards.</param>
    /// <exception cref="ArgumentNullException"><paramref name="obj"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public void ReturnObject<T>(T obj)
        where T : class, new()
    {
        Throw.IfNull(obj);
        GetPool<T>().Return(obj);
    }

    /// <summary>Returns this manager's pool for <typeparamref name="T"/>, creating it on first use (reset through <see cref="IResettable"/> or a public <c>Reset()</c> method).</summary>
    /// <typeparam name="T">The pooled type.</typeparam>
    /// <returns>The pool; the same instance for the same type.</returns>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public ObjectPool<T> GetPool<T>()
        where T : class, new()
    {
        if (_typedPools.TryGetValue(typeof(T), out var existing))
        {
            return (ObjectPool<T>)existing;
        }

        Throw.IfDisposed(Volatile.Read(ref _disposed) != 0, this);
        var created = new TrackedObjectPool<T>(Internal.TypeNames.Display(typeof(T)), static () => new T(), FindReset<T>(), _options.MaxPoolSize);
        if (_typedPools.TryAdd(typeof(T), created))
        {
            _pools[created.Name] = created;
            return created;
        }

        created.Dispose();
        return (ObjectPool<T>)_typedPools[typeof(T)];
    }

    /// <summary>Creates a named pool with a custom factory and reset, registered in this manager's statistics and cleanup.</summary>
    /// <typeparam name="T">The pooled type.</typeparam>
    /// <param name="name">The name statistics are reported under; an earlier pool of that name is replaced (its idle objects are dropped; it stays usable by whoever holds it).</param>
    /// <param name="create">Creates a new object when none is retained.</param>
    /// <param name="reset">Resets an object on return.</param>
    /// <param name="maxRetained">How many idle objects to keep; <see langword="null"/> means <see cref="ResourcePoolManagerOptions.MaxPoolSize"/>.</param>
    /// <returns>The pool.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="create"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRetained"/> is zero or negative.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public TrackedObjectPool<T> CreatePool<T>(string name, Func<T> create, Action<T>? reset = null, int? maxRetained = null)
        where T : class
    {
        Throw.IfDisposed(Volatile.Read(ref _disposed) != 0, this);
        var pool = new TrackedObjectPool<T>(name, create, reset, maxRetained ?? _options.MaxPoolSize);
        Replace(pool.Name, pool);
        return pool;
    }

    /// <summary>
    /// Registers an externally created pool (as <see cref="PoolFactory"/> does): its statistics are reported under its name, it is
    /// cleaned up with the others, and <see cref="GetObject{T}"/> for its type uses it. An earlier pool of the same name is replaced.
    /// </summary>
    /// <typeparam name="T">The pooled type.</typeparam>
    /// <param name="pool">The pool; the manager takes ownership of it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public void RegisterPool<T>(TrackedObjectPool<T> pool)
        where T : class
    {
        Throw.IfNull(pool);
        Throw.IfDisposed(Volatile.Read(ref _disposed) != 0, this);
        _typedPools[typeof(T)] = pool;
        Replace(pool.Name, pool);
    }

    /// <summary>Returns statistics for every pool, by name.</summary>
    /// <returns>A snapshot dictionary.</returns>
    public IReadOnlyDictionary<string, PoolStats> GetStats() =>
        _pools.ToDictionary(p => p.Key, p => p.Value.GetStats(), StringComparer.Ordinal);

    /// <summary>
    /// Returns an <see cref="HttpClient"/> backed by a shared <see cref="SocketsHttpHandler"/> for <paramref name="name"/>, whose
    /// connection pool recycles connections after <see cref="ResourcePoolManagerOptions.HttpConnectionLifetime"/> and drops idle
    /// ones after <see cref="ResourcePoolManagerOptions.HttpConnectionIdleTimeout"/>. The same client is returned for the same
    /// name; do not dispose it (the manager does).
    /// </summary>
    /// <param name="name">A name for the connection pool (e.g. one per remote service).</param>
    /// <returns>The shared client.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public HttpClient GetHttpClient(string name = "default")
    {
        Throw.IfNullOrWhiteSpace(name);
        Throw.IfDisposed(Volatile.Read(ref _disposed) != 0, this);
        return _http.GetOrAdd(name, static (_, o) => new Lazy<(SocketsHttpHandler, HttpClient)>(() =>
        {
            var handler = new SocketsHttpHandler
            {
                PooledConnectionLifetime = o.HttpConnectionLifetime,
                PooledConnectionIdleTimeout = o.HttpConnectionIdleTimeout,
                MaxConnectionsPerServer = o.MaxConnectionsPerServer,
            };
            return (handler, new HttpClient(handler, disposeHandler: false));
        }), _options).Value.Client;
    }

    /// <summary>Returns the shared handler behind <see cref="GetHttpClient(string)"/> for <paramref name="name"/> (creating it if needed), e.g. to inspect its settings.</summary>
    /// <param name="name">The connection pool name.</param>
    /// <returns>The handler.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public SocketsHttpHandler GetHttpHandler(string name = "default")
    {
        GetHttpClient(name);
        return _http[name].Value.Handler;
    }

    /// <summary>Disposes <paramref name="resource"/> after <paramref name="delay"/>, or when this manager is disposed.</summary>
    /// <param name="resource">The resource; the manager takes ownership of it.</param>
    /// <param name="delay">How long to wait.</param>
    /// <returns>A handle; dispose it to cancel the cleanup.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public IDisposable ScheduleCleanup(IDisposable resource, TimeSpan delay) => Scheduler.ScheduleCleanup(resource, delay);

    /// <summary>Disposes <paramref name="resource"/> asynchronously after <paramref name="delay"/>, or when this manager is disposed.</summary>
    /// <param name="resource">The resource; the manager takes ownership of it.</param>
    /// <param name="delay">How long to wait.</param>
    /// <returns>A handle; dispose it to cancel the cleanup.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public IDisposable ScheduleCleanup(IAsyncDisposable resource, TimeSpan delay) => Scheduler.ScheduleCleanup(resource, delay);

    /// <summary>
    /// Drops the retained objects of every pool that has not rented anything since the previous cleanup (the scheduler calls this
    /// every <see cref="ResourcePoolManagerOptions.CleanupInterval"/>).
    /// </summary>
    /// <returns>The number of idle objects dropped.</returns>
    public int CleanupIdle()
    {
        var dropped = 0;
        lock (_rentedAtLastCleanup)
        {
            foreach (var pair in _pools)
            {
                var rented = pair.Value.GetStats().Rented;
                if (_rentedAtLastCleanup.TryGetValue(pair.Key, out var before) && before == rented)
                {
                    dropped += pair.Value.DrainIdle();
                }

                _rentedAtLastCleanup[pair.Key] = rented;
            }
        }

        return dropped;
    }

    /// <summary>Drops the retained objects of every pool now.</summary>
    /// <returns>The number of objects dropped.</returns>
    public int DrainAll() => _pools.Values.Sum(p => p.DrainIdle());

    /// <summary>Disposes the pools (and their retained disposable objects), the HTTP handlers and the scheduler (which disposes pending delayed resources). Ignored on <see cref="Shared"/>.</summary>
    public void Dispose()
    {
        if (_isShared || Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_memoryMonitor is not null)
        {
            _memoryMonitor.MemoryPressure -= OnMemoryPressure;
        }

        _cleanupRegistration.Dispose();
        Scheduler.Dispose();
        foreach (var pool in _pools.Values)
        {
            (pool as IDisposable)?.Dispose();
        }

        _pools.Clear();
        _typedPools.Clear();
        foreach (var http in _http.Values)
        {
            if (http.IsValueCreated)
            {
                http.Value.Client.Dispose();
                http.Value.Handler.Dispose();
            }
        }

        _http.Clear();
        _ownedMeter?.Dispose();
    }

    private static Action<T>? FindReset<T>()
        where T : class
    {
        if (typeof(IResettable).IsAssignableFrom(typeof(T)))
        {
            return null;
        }

        var method = typeof(T).GetMethod("Reset", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        return method is null ? null : method.CreateDelegate<Action<T>>();
    }

    private void Replace(string name, IPoolStatistics pool)
    {
        IPoolStatistics? old = null;
        _pools.AddOrUpdate(name, pool, (_, previous) =>
        {
            old = previous;
            return pool;
        });
        if (old is not null && !ReferenceEquals(old, pool))
        {
            foreach (var pair in _typedPools)
            {
                if (ReferenceEquals(pair.Value, old))
                {
                    _typedPools.TryRemove(pair);
                }
            }

            // Others may still hold the replaced pool (e.g. in a static field), so it is not disposed: only its idle objects go.
            old.DrainIdle();
        }
    }

    private IEnumerable<Measurement<long>> Observe(Func<PoolStats, long> select)
    {
        foreach (var pool in _pools.Values)
        {
            var stats = pool.GetStats();
            yield return new Measurement<long>(select(stats), new KeyValuePair<string, object?>("pool.name", stats.Name));
        }
    }

    private void OnMemoryPressure(object? sender, MemoryPressureEventArgs e)
    {
        if (_options.DrainOnMemoryPressure && Volatile.Read(ref _disposed) == 0 && e.Level >= MemoryPressureLevel.Moderate)
        {
            DrainAll();
        }
    }
}
