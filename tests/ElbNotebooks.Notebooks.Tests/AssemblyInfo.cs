// The kernel runs one notebook at a time, each writing into notebooks/out/: tests share the runs, one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
