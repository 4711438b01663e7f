// Formatter registrations, Console and the current directory are process-wide: notebooks run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
