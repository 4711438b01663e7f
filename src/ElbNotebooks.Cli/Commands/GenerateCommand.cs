using System.CommandLine;
using System.Globalization;
using ElbNotebooks.Generation;

namespace ElbNotebooks.Cli.Commands;

/// <summary><c>generate</c>: writes a deterministic, seeded access log (Huawei ELB, or ALB, CLB, nginx) with chosen incidents.</summary>
internal static class GenerateCommand
{
    private static readonly string[] StartFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mmzzz",
    ];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var defaults = new GeneratorOptions();
        var outOption = new Option<string>("--out", "-o") { Description = "File to write; gzip-compressed if it ends with .gz", Required = true };
        var seedOption = new Option<int>("--seed") { Description = "Random seed; same arguments and seed give the same bytes", DefaultValueFactory = _ => defaults.Seed };
        var startOption = new Option<string>("--start") { Description = "First arrival with its UTC offset, e.g. 2024-05-01T10:00:00+08:00; the offset is the log's local offset", DefaultValueFactory = _ => defaults.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) };
        var durationOption = new Option<string>("--duration") { Description = "How long requests arrive: 1h, 60m, 3600s, 1h30m or hh:mm:ss", DefaultValueFactory = _ => "1h" };
        var rpsOption = new Option<double>("--rps") { Description = "Mean requests per second", DefaultValueFactory = _ => defaults.RequestsPerSecond };
        var formatOption = new Option<string>("--format")
        {
            Description = "huawei-elb, aws-alb, aws-clb or nginx: the same traffic as that load balancer writes it (AWS does not retry on a peer; " +
                          "nginx lines are in the log_format that `investigate --nginx-log-format` then needs, printed when written)",
            DefaultValueFactory = _ => "huawei-elb",
        };
        var layoutOption = new Option<string>("--layout") { Description = "Huawei ELB lines: full (33 fields), legacy (22 fields, like the seed line) or extended (37 fields, with the 2025 additions)", DefaultValueFactory = _ => "full" };
        var incidentOption = new Option<string[]>("--incident") { Description = "Incident to inject (repeatable): " + Specs.IncidentGrammar, Arity = ArgumentArity.ZeroOrMore };
        var scenarioOption = new Option<string?>("--scenario") { Description = "Preset incidents: " + string.Join(", ", Scenarios.Names) };
        var errorRateOption = new Option<double>("--error-rate") { Description = "Baseline share of backend 500/503 on every backend", DefaultValueFactory = _ => defaults.BaselineErrorRate };
        var abortRateOption = new Option<double>("--abort-rate") { Description = "Share of requests the client abandons (499)", DefaultValueFactory = _ => defaults.ClientAbortRate };

        var keyOption = new Option<string?>("--key-out") { Description = "Also write the answer key: Markdown if the path ends with .md, else JSON" };

        var command = new Command("generate", "Write a realistic, seeded load-balancer access log with chosen incidents (for demos and tests): Huawei ELB layer 7, or --format for ALB, CLB or nginx.")
        {
            outOption, seedOption, startOption, durationOption, rpsOption, formatOption, layoutOption, incidentOption, scenarioOption, errorRateOption, abortRateOption, keyOption,
        };

        command.SetAction(parseResult => CommandRunner.Run(stderr, () =>
        {
            var path = parseResult.GetValue(outOption)!;
            var startText = parseResult.GetValue(startOption)!;
            if (!DateTimeOffset.TryParseExact(startText, StartFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
                throw new InvalidInputException($"--start '{startText}' needs a date, time and UTC offset, e.g. 2024-05-01T10:00:00+08:00");
            var durationText = parseResult.GetValue(durationOption)!;
            if (!Durations.TryParse(durationText, out var duration))
                throw new InvalidInputException($"--duration '{durationText}' is not a positive duration (up to {Durations.MaxDays} days) like 1h, 60m, 3600s or 01:00:00");
            var rps = parseResult.GetValue(rpsOption);
            if (!(rps > 0) || rps > 10_000) throw new InvalidInputException($"--rps {rps.ToString(CultureInfo.InvariantCulture)} must be in (0, 10000]");
            var errorRate = parseResult.GetValue(errorRateOption);
            var abortRate = parseResult.GetValue(abortRateOption);
            if (errorRate is < 0 or > 1 || abortRate is < 0 or > 1) throw new InvalidInputException("--error-rate and --abort-rate must be in [0, 1]");

            var layoutText = parseResult.GetValue(layoutOption)!;
            LogLayout layout;
            switch (layoutText.ToLowerInvariant())
            {
                case "full": layout = LogLayout.Full; break;
                case "legacy": layout = LogLayout.Legacy; break;
                case "extended": layout = LogLayout.Extended; break;
                default: throw new InvalidInputException($"--layout '{layoutText}' is not one of full, legacy, extended");
            }
            var formatText = parseResult.GetValue(formatOption)!;
            var format = formatText.ToLowerInvariant() switch
            {
                "huawei-elb" => GeneratedFormat.HuaweiElb,
                "aws-alb" => GeneratedFormat.AwsAlb,
                "aws-clb" => GeneratedFormat.AwsClb,
                "nginx" => GeneratedFormat.Nginx,
                _ => throw new InvalidInputException($"--format '{formatText}' is not one of huawei-elb, aws-alb, aws-clb, nginx"),
            };
            if (format != GeneratedFormat.HuaweiElb && layout != LogLayout.Full)
                throw new InvalidInputException($"--layout is for huawei-elb lines; {formatText} lines have their own fields");
            var scenario = parseResult.GetValue(scenarioOption);
            if (scenario is not null && !Scenarios.Names.Contains(scenario))
                throw new InvalidInputException($"--scenario '{scenario}' is unknown; known: {string.Join(", ", Scenarios.Names)}");

            var options = defaults with
            {
                Seed = parseResult.GetValue(seedOption),
                Start = start,
                Duration = duration,
                RequestsPerSecond = rps,
                Format = format,
                Layout = layout,
                BaselineErrorRate = errorRate,
                ClientAbortRate = abortRate,
            };
            if (scenario is not null) options = Scenarios.Apply(scenario, options);

            var incidents = new List<Incident>(options.Incidents);
            foreach (var spec in parseResult.GetValue(incidentOption) ?? [])
            {
                if (!Specs.TryParseIncident(spec, start, out var incident, out var error)) throw new InvalidInputException(error);
                incidents.Add(incident!);
            }
            options = options with { Incidents = incidents };

            GeneratedLog result;
            LogGenerator.Key(options); // inconsistent options are a usage error (InvalidInputException), found before touching the file
            var keyPath = parseResult.GetValue(keyOption);
            var writing = "--out";
            try
            {
                OutputPaths.PrepareFile(path, "--out");
                if (keyPath is not null) OutputPaths.PrepareFile(keyPath, "--key-out");
                result = CommandRunner.WithProgress(stderr, "generating", (long)(options.RequestsPerSecond * options.Duration.TotalSeconds),
                    progress => LogGenerator.WriteFile(options, path, progress));
                writing = "--key-out";
                if (keyPath is not null)
                    File.WriteAllText(keyPath, keyPath.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? result.Key.ToMarkdown() : result.Key.ToJson());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw OutputPaths.Unwritable(writing, writing == "--out" ? path : keyPath!, e.Message);
            }
            var key = result.Key;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generate: wrote {result.LineCount} lines to {path} (seed {key.Seed}, {(format == GeneratedFormat.HuaweiElb ? key.Layout : formatText)}, {key.StartLocal:yyyy-MM-dd'T'HH:mm:sszzz} + {duration:c}, {key.Incidents.Count} incident(s))"));
            if (format == GeneratedFormat.Nginx)
                stderr.WriteLine($"generate: read it with --nginx-log-format \"{LogGenerator.NginxLogFormat.Replace("\"", "\\\"").Replace("$", "\\$")}\"");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
