using System.Diagnostics;

namespace GopiAI.Toolkit.Startup;

// Lazy components: loaded on first use, once, through the SingleFlight the caches use too.
public sealed partial class StartupOptimizer
{
    private sealed class Component(StartupOptimizer owner, string name, Type type, Func<object>? syncFactory, Func<CancellationToken, Task<object>>? asyncFactory, LazyLoaderOptions options)
    {
        private object? _value;

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

            // One load at a time: other threads wait for it as on a lock; the loading thread asking again is a cycle.
            return owner._loads.Run(Name, static (_, component) => component.Load(), this);
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

            // The shared load runs on the optimizer's lifetime token, so one caller's cancellation does not fail the others.
            var loading = owner._loads.StartOrJoin(Name, static (_, component, ct) => component.LoadAsync(ct), this, owner._shutdown.Token);
            return await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        private object Load()
        {
            if (Volatile.Read(ref _value) is { } raced)
            {
                return raced;
            }

            var start = owner._time.GetTimestamp();
            StartedAt = owner._time.GetElapsedTime(owner._created, start);
            try
            {
                foreach (var dependency in Options.DependsOn)
                {
                    owner.EnsureDependency(dependency, Name);
                }

                var value = syncFactory!() ?? throw new InvalidOperationException($"The loader of component '{Name}' returned null.");
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
        }

        private async Task<object> LoadAsync(CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref _value) is { } raced)
            {
                return raced;
            }

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
                LoadTime = owner._time.GetElapsedTime(start);
                LastError = null;
                Volatile.Write(ref _value, value);
                return value;
            }
            catch (Exception ex)
            {
                // Not cached: the single flight forgets a failed load, and the next request tries again.
                LastError = ex;
                throw;
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
