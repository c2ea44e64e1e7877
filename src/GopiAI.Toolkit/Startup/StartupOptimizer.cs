using System.Diagnostics;
using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Startup;

/// <summary>
/// Speeds up application start: components are registered as lazy loaders and built on first use (once, thread-safe, timed);
/// startup tasks run in dependency order with independent ones in parallel, with progress reporting, cycle detection and one
/// clear error when something fails; a report lists every task and component with its time.
/// </summary>
/// <remarks>
/// Task and component names share one namespace. <see cref="Shared"/> is the instance generated <c>[LazyStartup]</c> code uses;
/// its <see cref="Dispose"/> is ignored. Disposing another instance disposes the components it built.
/// </remarks>
public sealed partial class StartupOptimizer : IDisposable, IAsyncDisposable
{
    private static readonly Lazy<StartupOptimizer> s_shared = new(() => new StartupOptimizer(new StartupOptimizerOptions(), null, isShared: true));

    private readonly Dictionary<string, Component> _components = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskState> _tasks = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly StartupOptimizerOptions _options;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly SingleFlight<string, object> _loads = new(StringComparer.Ordinal, static name => $"Component '{name}' depends on itself while loading.");
    private readonly bool _isShared;
    private readonly long _created;
    private TimeSpan _lastElapsed;
    private TimeSpan? _lastStartedAt;
    private int _initializing;
    private int _disposed;

    /// <summary>Creates an optimizer with default options and the system clock.</summary>
    public StartupOptimizer()
        : this(new StartupOptimizerOptions())
    {
    }

    /// <summary>Creates an optimizer.</summary>
    /// <param name="options">Parallelism settings.</param>
    /// <param name="timeProvider">Measures load and task times; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><c>MaxDegreeOfParallelism</c> is zero or negative.</exception>
    public StartupOptimizer(StartupOptimizerOptions options, TimeProvider? timeProvider = null)
        : this(options, timeProvider, isShared: false)
    {
    }

    private StartupOptimizer(StartupOptimizerOptions options, TimeProvider? timeProvider, bool isShared)
    {
        Throw.IfNull(options);
        Throw.IfNotPositive(options.MaxDegreeOfParallelism, nameof(options.MaxDegreeOfParallelism));
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _isShared = isShared;
        _created = _time.GetTimestamp();
    }

    /// <summary>Gets the process-wide optimizer used by generated <c>[LazyStartup]</c> code.</summary>
    public static StartupOptimizer Shared => s_shared.Value;

    /// <summary>Registers a component built synchronously by <paramref name="factory"/> on first use.</summary>
    /// <typeparam name="T">The component type.</typeparam>
    /// <param name="name">A unique name.</param>
    /// <param name="factory">Builds the component; called at most once successfully (a failure is retried on the next request).</param>
    /// <param name="options">Priority, dependencies and eager loading.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty, white space or already registered, or a dependency name is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The registration would create a dependency cycle (the message shows it).</exception>
    public void RegisterLazyLoader<T>(string name, Func<T> factory, LazyLoaderOptions? options = null)
        where T : class
    {
        Throw.IfNull(factory);
        AddComponent(new Component(this, name, typeof(T), () => factory(), null, options ?? new LazyLoaderOptions()));
    }

    /// <summary>Registers a component built asynchronously by <paramref name="factory"/> on first use.</summary>
    /// <typeparam name="T">The component type.</typeparam>
    /// <param name="name">A unique name.</param>
    /// <param name="factory">Builds the component; it receives a token cancelled when the optimizer is disposed.</param>
    /// <param name="options">Priority, dependencies and eager loading.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty, white space or already registered, or a dependency name is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The registration would create a dependency cycle.</exception>
    public void RegisterLazyLoader<T>(string name, Func<CancellationToken, Task<T>> factory, LazyLoaderOptions? options = null)
        where T : class
    {
        Throw.IfNull(factory);
        AddComponent(new Component(this, name, typeof(T), null, async ct => await factory(ct).ConfigureAwait(false), options ?? new LazyLoaderOptions()));
    }

    /// <summary>Returns the component, building it (and its dependencies) on first use. Thread-safe: concurrent callers share one build; its time is recorded.</summary>
    /// <typeparam name="T">The type the component was registered as (or a base type of it).</typeparam>
    /// <param name="name">The component name.</param>
    /// <returns>The component.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or not registered.</exception>
    /// <exception cref="InvalidCastException">The component is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="InvalidOperationException">The component has an asynchronous loader and is not loaded yet (use <see cref="GetComponentAsync{T}"/>), or it depends on itself.</exception>
    /// <exception cref="ObjectDisposedException">The optimizer has been disposed.</exception>
    public T GetComponent<T>(string name)
        where T : class
    {
        var component = FindComponent(name);
        return Cast<T>(component, component.Get());
    }

    /// <summary>Returns the component, building it (and its dependencies) on first use without blocking. Concurrent callers share one build.</summary>
    /// <typeparam name="T">The type the component was registered as (or a base type of it).</typeparam>
    /// <param name="name">The component name.</param>
    /// <param name="cancellationToken">Stops this caller's wait; the shared build continues for other callers.</param>
    /// <returns>The component.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or not registered.</exception>
    /// <exception cref="InvalidCastException">The component is not a <typeparamref name="T"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The optimizer has been disposed.</exception>
    public async ValueTask<T> GetComponentAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : class
    {
        var component = FindComponent(name);
        var value = await component.GetAsync(cancellationToken).ConfigureAwait(false);
        return Cast<T>(component, value);
    }

    /// <summary>Returns whether the named component has been built.</summary>
    /// <param name="name">The component name.</param>
    /// <returns><see langword="true"/> when it is loaded.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or not registered.</exception>
    public bool IsLoaded(string name) => FindComponent(name).IsLoaded;

    /// <summary>Adds a task for <see cref="InitializeApplicationAsync"/>.</summary>
    /// <param name="task">The task.</param>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Its name is already registered, or a dependency name is empty.</exception>
    /// <exception cref="InvalidOperationException">The task would create a dependency cycle.</exception>
    public void AddStartupTask(StartupTask task)
    {
        Throw.IfNull(task);
        ValidateDependencies(task.Name, task.DependsOn, nameof(task));
        lock (_gate)
        {
            Throw.IfDisposed(_disposed != 0, this);
            EnsureNewName(task.Name, nameof(task));
            _tasks[task.Name] = new TaskState(task);
            _order.Add(task.Name);
            ThrowIfCycle(task.Name, () => _tasks.Remove(task.Name));
        }
    }

    /// <summary>
    /// Runs every startup task that has not succeeded yet, and loads every eager component (plus components that tasks depend on),
    /// in dependency order: steps whose dependencies are done run in parallel (up to <see cref="StartupOptimizerOptions.MaxDegreeOfParallelism"/>),
    /// higher <c>Priority</c> first. After a failure no new step starts, running ones get a cancelled token, and one
    /// <see cref="StartupException"/> names the failed step and the skipped ones. Calling it again retries what did not succeed.
    /// </summary>
    /// <param name="progress">Receives a <see cref="StartupProgress"/> whenever a step starts or finishes.</param>
    /// <param name="cancellationToken">Cancels startup: no new step starts and running steps see the token cancelled.</param>
    /// <returns>A task that completes when startup is done.</returns>
    /// <exception cref="StartupException">A step failed.</exception>
    /// <exception cref="InvalidOperationException">A dependency is not registered, or another initialization is running.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The optimizer has been disposed.</exception>
    public async Task InitializeApplicationAsync(IProgress<StartupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Throw.IfDisposed(_disposed != 0, this);
        if (Interlocked.Exchange(ref _initializing, 1) != 0)
        {
            throw new InvalidOperationException("InitializeApplicationAsync is already running on this StartupOptimizer.");
        }

        try
        {
            await RunGraphAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _initializing, 0);
        }
    }

    /// <summary>Returns every task and component with its status and time.</summary>
    /// <returns>The report.</returns>
    public StartupReport GetStartupReport()
    {
        lock (_gate)
        {
            var tasks = new List<StartupTaskReport>();
            var components = new List<ComponentReport>();
            foreach (var name in _order)
            {
                if (_tasks.TryGetValue(name, out var t))
                {
                    tasks.Add(new StartupTaskReport(name, t.Status, t.Duration, t.Task.Priority, t.Task.DependsOn, t.Error?.Message, t.StartedAt));
                }
                else if (_components.TryGetValue(name, out var c))
                {
                    components.Add(new ComponentReport(name, c.Type, c.IsLoaded, c.LoadTime, c.Options.Eager, c.LastError?.Message, c.StartedAt));
                }
            }

            return new StartupReport(tasks, components, _lastElapsed, _lastStartedAt);
        }
    }

    /// <summary>Cancels pending loads and disposes the components this optimizer built. Ignored on <see cref="Shared"/>.</summary>
    public void Dispose()
    {
        foreach (var value in BeginDispose())
        {
            switch (value)
            {
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
                case IAsyncDisposable asyncDisposable:
                    // Only async-disposable: DisposeAsync is the right call; from sync Dispose we can only start it.
                    _ = asyncDisposable.DisposeAsync().AsTask();
                    break;
            }
        }
    }

    /// <summary>Cancels pending loads and disposes (asynchronously where supported) the components this optimizer built. Ignored on <see cref="Shared"/>.</summary>
    /// <returns>A task that completes when the components are disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (var value in BeginDispose())
        {
            switch (value)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private List<object> BeginDispose()
    {
        if (_isShared || Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return [];
        }

        _shutdown.Cancel();
        _shutdown.Dispose();
        lock (_gate)
        {
            return [.. _order.Where(_components.ContainsKey).Select(n => _components[n].LoadedValue).OfType<object>().Reverse()];
        }
    }

    private static T Cast<T>(Component component, object value)
        where T : class =>
        value as T ?? throw new InvalidCastException($"Component '{component.Name}' is a {value.GetType().FullName}, not a {typeof(T).FullName}.");

    private static void ValidateDependencies(string name, IReadOnlyList<string>? dependsOn, string paramName)
    {
        if (dependsOn is null)
        {
            throw new ArgumentException($"'{name}': DependsOn must not be null (use an empty list).", paramName);
        }

        foreach (var dependency in dependsOn)
        {
            if (string.IsNullOrWhiteSpace(dependency))
            {
                throw new ArgumentException($"'{name}': DependsOn contains an empty name.", paramName);
            }

            if (string.Equals(dependency, name, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' cannot depend on itself.", paramName);
            }
        }
    }

    private void AddComponent(Component component)
    {
        ValidateDependencies(component.Name, component.Options.DependsOn, "options");
        lock (_gate)
        {
            Throw.IfDisposed(_disposed != 0, this);
            EnsureNewName(component.Name, "name");
            _components[component.Name] = component;
            _order.Add(component.Name);
            ThrowIfCycle(component.Name, () => _components.Remove(component.Name));
        }
    }

    private void EnsureNewName(string name, string paramName)
    {
        if (_tasks.ContainsKey(name) || _components.ContainsKey(name))
        {
            throw new ArgumentException($"A startup task or component named '{name}' is already registered.", paramName);
        }
    }

    private IReadOnlyList<string> DependenciesOf(string name) =>
        _tasks.TryGetValue(name, out var t) ? t.Task.DependsOn
        : _components.TryGetValue(name, out var c) ? c.Options.DependsOn
        : [];

    // Must hold _gate. Registration happens one node at a time, so a new cycle must pass through the new node.
    private void ThrowIfCycle(string start, Action undo)
    {
        var path = new List<string> { start };
        var visited = new HashSet<string>(StringComparer.Ordinal);
        if (FindPathBack(start, start, path, visited))
        {
            undo();
            _order.RemoveAt(_order.Count - 1);
            throw new InvalidOperationException($"Startup dependency cycle: {string.Join(" -> ", path)}.");
        }
    }

    private bool FindPathBack(string current, string target, List<string> path, HashSet<string> visited)
    {
        foreach (var dependency in DependenciesOf(current))
        {
            if (string.Equals(dependency, target, StringComparison.Ordinal))
            {
                path.Add(dependency);
                return true;
            }

            if (visited.Add(dependency))
            {
                path.Add(dependency);
                if (FindPathBack(dependency, target, path, visited))
                {
                    return true;
                }

                path.RemoveAt(path.Count - 1);
            }
        }

        return false;
    }

    private Component FindComponent(string name)
    {
        Throw.IfNullOrWhiteSpace(name);
        lock (_gate)
        {
            Throw.IfDisposed(_disposed != 0, this);
            return _components.TryGetValue(name, out var component)
                ? component
                : throw new ArgumentException($"No component named '{name}' is registered.", nameof(name));
        }
    }

    private bool TryFindTask(string name, out TaskState task)
    {
        lock (_gate)
        {
            return _tasks.TryGetValue(name, out task!);
        }
    }
}
