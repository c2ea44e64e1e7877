// Meters, activity sources and their listeners are process-wide: a workload in one test would show up in another test's
// exporter. The tests of this assembly run one at a time (about 6 s in all).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
