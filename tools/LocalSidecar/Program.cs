return await LocalSidecar.Cli.SidecarCli.RunAsync(args);
