// Each collection starts a whole platform: two at once would share two cores and the machine's inotify instances,
// and the timings their bounds are derived from would not hold.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
