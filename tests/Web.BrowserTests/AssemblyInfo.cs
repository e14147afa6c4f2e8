// Scenarios share a running system and a machine with two cores: one at a time, so timings and races are the
// scenario's own, and the two systems (normal and short holds) never share Redis streams at the same moment.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
