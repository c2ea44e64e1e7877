using System.Diagnostics;

namespace GopiAI.Toolkit.Startup;

// The startup run: the plan (startup tasks and eager components in dependency and priority order) and its parallel execution.
public sealed partial class StartupOptimizer
{
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
}
