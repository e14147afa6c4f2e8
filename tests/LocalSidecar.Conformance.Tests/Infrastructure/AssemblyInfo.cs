// Test classes run in parallel; each isolates itself with uuid keys and topics on the shared redis-server.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
