using System.Diagnostics;

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
public sealed class StartupOptimizer : IDisposable, IAsyncDisposable
{
    private static readonly Lazy<StartupOptimizer> s_shared = new(() => new StartupOptimizer(new StartupOptimizerOptions(), null, isShared: true));

    private readonly Dictionary<string, Component> _components = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskState> _tasks = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly StartupOptimizerOptions _options;
    private readonly CancellationTokenSource _shutdown = new();
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

    private async Task RunGraphAsync(IProgress<StartupProgress>? progress, CancellationToken cancellationToken)
    {
        var steps = BuildPlan();
        var started = _time.GetTimestamp();
        lock (_gate)
        {
            _lastStartedAt = _time.GetElapsedTime(_created, started);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        var token = linked.Token;
        var waiting = steps.ToDictionary(s => s.Name, s => s.Dependencies.Count(d => steps.Any(x => x.Name == d)), StringComparer.Ordinal);
        var ready = new List<Step>(steps.Where(s => waiting[s.Name] == 0));
        var running = new Dictionary<Task, Step>();
        var failures = new List<(Step Step, Exception Error)>();
        var completed = 0;
        var notStarted = new HashSet<string>(steps.Select(s => s.Name), StringComparer.Ordinal);

        void Report(Step step, StartupStepStatus status) =>
            progress?.Report(new StartupProgress(completed, steps.Count, step.Name, status, _time.GetElapsedTime(started)));

        while (ready.Count > 0 || running.Count > 0)
        {
            while (ready.Count > 0 && failures.Count == 0 && !token.IsCancellationRequested && running.Count < _options.MaxDegreeOfParallelism)
            {
                var next = ready.OrderByDescending(s => s.Priority).ThenBy(s => s.Index).First();
                ready.Remove(next);
                notStarted.Remove(next.Name);
                next.MarkRunning();
                running[Task.Run(() => next.RunAsync(token), CancellationToken.None)] = next;
                Report(next, StartupStepStatus.Running);
            }

            if (running.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var step = running[finished];
            running.Remove(finished);
            if (finished.IsCompletedSuccessfully)
            {
                completed++;
                Report(step, StartupStepStatus.Succeeded);
                foreach (var dependent in steps.Where(s => s.Dependencies.Contains(step.Name, StringComparer.Ordinal)))
                {
                    if (--waiting[dependent.Name] == 0)
                    {
                        ready.Add(dependent);
                    }
                }
            }
            else
            {
                var error = finished.Exception?.GetBaseException() ?? new OperationCanceledException(token);
                var cancelled = finished.IsCanceled || (error is OperationCanceledException && token.IsCancellationRequested);
                Report(step, cancelled ? StartupStepStatus.Cancelled : StartupStepStatus.Failed);
                if (!cancelled || failures.Count == 0 && !cancellationToken.IsCancellationRequested && !_shutdown.IsCancellationRequested)
                {
                    failures.Add((step, error));
                }

                // Stop the others early: they see a cancelled token.
                await linked.CancelAsync().ConfigureAwait(false);
            }
        }

        foreach (var name in notStarted)
        {
            steps.First(s => s.Name == name).MarkSkipped();
        }

        lock (_gate)
        {
            _lastElapsed = _time.GetElapsedTime(started);
        }

        if (failures.Count > 0)
        {
            var (failedStep, error) = failures[0];
            var skipped = steps.Where(s => notStarted.Contains(s.Name)).OrderBy(s => s.Index).Select(s => s.Name).ToList();
            throw new StartupException(failedStep.Name, skipped, error);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private List<Step> BuildPlan()
    {
        lock (_gate)
        {
            var selected = new Dictionary<string, Step>(StringComparer.Ordinal);
            var stack = new Stack<string>();
            foreach (var name in _order)
            {
                if ((_tasks.TryGetValue(name, out var t) && t.Status != StartupStepStatus.Succeeded)
                    || (_components.TryGetValue(name, out var c) && c.Options.Eager && !c.IsLoaded))
                {
                    stack.Push(name);
                }
            }

            while (stack.Count > 0)
            {
                var name = stack.Pop();
                if (selected.ContainsKey(name))
                {
                    continue;
                }

                Step step;
                if (_tasks.TryGetValue(name, out var task))
                {
                    if (task.Status == StartupStepStatus.Succeeded)
                    {
                        continue;
                    }

                    step = new Step(name, _order.IndexOf(name), task.Task.Priority, task.Task.DependsOn, task, null, this);
                }
                else if (_components.TryGetValue(name, out var component))
                {
                    if (component.IsLoaded)
                    {
                        continue;
                    }

                    step = new Step(name, _order.IndexOf(name), component.Options.Priority, component.Options.DependsOn, null, component, this);
                }
                else
                {
                    continue;
                }

                foreach (var dependency in step.Dependencies)
                {
                    if (!_tasks.ContainsKey(dependency) && !_components.ContainsKey(dependency))
                    {
                        throw new InvalidOperationException($"Startup step '{name}' depends on '{dependency}', which is not registered as a startup task or component.");
                    }

                    stack.Push(dependency);
                }

                selected[name] = step;
            }

            return [.. selected.Values.OrderBy(s => s.Index)];
        }
    }

    private sealed class TaskState(StartupTask task)
    {
        public StartupTask Task { get; } = task;

        public StartupStepStatus Status { get; set; } = StartupStepStatus.Pending;

        public TimeSpan Duration { get; set; }

        public Exception? Error { get; set; }

        public TimeSpan? StartedAt { get; set; }
    }

    private sealed class Step(string name, int index, int priority, IReadOnlyList<string> dependencies, TaskState? task, Component? component, StartupOptimizer owner)
    {
        public string Name { get; } = name;

        public int Index { get; } = index;

        public int Priority { get; } = priority;

        public IReadOnlyList<string> Dependencies { get; } = dependencies;

        public void MarkRunning()
        {
            if (task is not null)
            {
                lock (owner._gate)
                {
                    task.Status = StartupStepStatus.Running;
                    task.Error = null;
                }
            }
        }

        public void MarkSkipped()
        {
            if (task is not null)
            {
                lock (owner._gate)
                {
                    task.Status = StartupStepStatus.Skipped;
                }
            }
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            if (component is not null)
            {
                await component.GetAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            var start = owner._time.GetTimestamp();
            lock (owner._gate)
            {
                task!.StartedAt = owner._time.GetElapsedTime(owner._created, start);
            }

            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await task!.Task.Run(cancellationToken).ConfigureAwait(false);
                Finish(StartupStepStatus.Succeeded, null);
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                Finish(StartupStepStatus.Cancelled, ex);
                throw;
            }
            catch (Exception ex)
            {
                Finish(StartupStepStatus.Failed, ex);
                throw;
            }

            void Finish(StartupStepStatus status, Exception? error)
            {
                lock (owner._gate)
                {
                    task!.Status = status;
                    task.Error = error;
                    task.Duration = owner._time.GetElapsedTime(start);
                }
            }
        }
    }

    private sealed class Component(StartupOptimizer owner, string name, Type type, Func<object>? syncFactory, Func<CancellationToken, Task<object>>? asyncFactory, LazyLoaderOptions options)
    {
        private readonly Lock _loadGate = new();
        private object? _value;
        private Task<object>? _loading;
        private int _loadingThread;

        public string Name { get; } = Throw.IfNullOrWhiteSpace(name, nameof(name));

        public Type Type { get; } = type;

        public LazyLoaderOptions Options { get; } = options;

        public TimeSpan? LoadTime { get; private set; }

        public Exception? LastError { get; private set; }

        public TimeSpan? StartedAt { get; private set; }

        public bool IsLoaded => Volatile.Read(ref _value) is not null;

        public object? LoadedValue => Volatile.Read(ref _value);

        public object Get()
        {
            if (Volatile.Read(ref _value) is { } loaded)
            {
                return loaded;
            }

            if (syncFactory is null)
            {
                throw new InvalidOperationException($"Component '{Name}' has an asynchronous loader and is not loaded yet; use GetComponentAsync (or load it during InitializeApplicationAsync with Eager = true).");
            }

            lock (_loadGate)
            {
                if (_value is { } raced)
                {
                    return raced;
                }

                if (_loadingThread == Environment.CurrentManagedThreadId)
                {
                    throw new InvalidOperationException($"Component '{Name}' depends on itself while loading.");
                }

                _loadingThread = Environment.CurrentManagedThreadId;
                var start = owner._time.GetTimestamp();
                StartedAt = owner._time.GetElapsedTime(owner._created, start);
                try
                {
                    foreach (var dependency in Options.DependsOn)
                    {
                        owner.EnsureDependency(dependency, Name);
                    }

                    var value = syncFactory() ?? throw new InvalidOperationException($"The loader of component '{Name}' returned null.");
                    LoadTime = owner._time.GetElapsedTime(start);
                    LastError = null;
                    Volatile.Write(ref _value, value);
                    return value;
                }
                catch (Exception ex)
                {
                    LastError = ex;
                    throw;
                }
                finally
                {
                    _loadingThread = 0;
                }
            }
        }

        public async ValueTask<object> GetAsync(CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref _value) is { } loaded)
            {
                return loaded;
            }

            if (asyncFactory is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var dependency in Options.DependsOn)
                {
                    await owner.EnsureDependencyAsync(dependency, Name, cancellationToken).ConfigureAwait(false);
                }

                return Get();
            }

            Task<object> loading;
            TaskCompletionSource<object>? mine = null;
            lock (_loadGate)
            {
                if (_value is { } raced)
                {
                    return raced;
                }

                if (_loading is null)
                {
                    mine = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _loading = mine.Task;
                }

                loading = _loading;
            }

            if (mine is not null)
            {
                // The shared load runs on the optimizer's lifetime token, so one caller's cancellation does not fail the others.
                _ = LoadAsync(mine, owner._shutdown.Token);
            }

            return await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task LoadAsync(TaskCompletionSource<object> completion, CancellationToken cancellationToken)
        {
            var start = owner._time.GetTimestamp();
            StartedAt = owner._time.GetElapsedTime(owner._created, start);
            try
            {
                foreach (var dependency in Options.DependsOn)
                {
                    await owner.EnsureDependencyAsync(dependency, Name, cancellationToken).ConfigureAwait(false);
                }

                var value = await asyncFactory!(cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"The loader of component '{Name}' returned null.");
                lock (_loadGate)
                {
                    LoadTime = owner._time.GetElapsedTime(start);
                    LastError = null;
                    Volatile.Write(ref _value, value);
                    _loading = null;
                }

                completion.TrySetResult(value);
            }
            catch (Exception ex)
            {
                lock (_loadGate)
                {
                    // Not cached: the next request tries again.
                    LastError = ex;
                    _loading = null;
                }

                if (ex is OperationCanceledException oce)
                {
                    completion.TrySetCanceled(oce.CancellationToken);
                }
                else
                {
                    completion.TrySetException(ex);
                }

                _ = completion.Task.Exception;
            }
        }
    }

    private void EnsureDependency(string dependency, string dependent)
    {
        lock (_gate)
        {
            if (_tasks.TryGetValue(dependency, out var task))
            {
                if (task.Status != StartupStepStatus.Succeeded)
                {
                    throw new InvalidOperationException($"Component '{dependent}' depends on startup task '{dependency}', which has not completed (status {task.Status}).");
                }

                return;
            }

            if (!_components.ContainsKey(dependency))
            {
                throw new InvalidOperationException($"Component '{dependent}' depends on '{dependency}', which is not registered.");
            }
        }

        FindComponent(dependency).Get();
    }

    private async ValueTask EnsureDependencyAsync(string dependency, string dependent, CancellationToken cancellationToken)
    {
        if (TryFindTask(dependency, out var task))
        {
            if (task.Status != StartupStepStatus.Succeeded)
            {
                throw new InvalidOperationException($"Component '{dependent}' depends on startup task '{dependency}', which has not completed (status {task.Status}).");
            }

            return;
        }

        await FindComponent(dependency).GetAsync(cancellationToken).ConfigureAwait(false);
    }
}
