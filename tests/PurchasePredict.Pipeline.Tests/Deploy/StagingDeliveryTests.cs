namespace PurchasePredict.Pipeline.Tests;

// What GCP gets: ops/environments/staging.json as it is in the repository, rendered into the unit, the env
// file and the commands of the switch-over, pinned. The sandbox delivers the same way; only ports differ.
public class StagingDeliveryTests
{
    private static readonly ServiceCommands Commands = new(DeployTestData.Paths);

    private static DeploySettings Environment(string name) =>
        DeploySettings.From(Settings.Parse($"ops/environments/{name}.json", name,
            File.ReadAllText(Path.Combine(DeployTestData.Root, "ops", "environments", name + ".json")), _ => null, _ => null), DeployTestData.Paths);

    private static DeploySettings Staging => Environment("staging");

    private static DeployHost Vm => Staging.Hosts[0];

    [Test]
    public void StagingUnit_RunsTheImageOnTheHostNetwork_AndStopsItWithinTheGracefulTimeout()
    {
        var image = DeployTestData.Image.Reference;
        var unit = UnitFile.Render(DeployTestData.UnitTemplate, Staging, Vm, DeployTestData.Image);
        Assert.That(unit.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')), Is.EqualTo(new[]
        {
            "[Unit]",
            $"Description=purchase_predict_api prediction service ({DeployTestData.Image.Commit})",
            "Requires=docker.service",
            "After=docker.service network-online.target",
            "Wants=network-online.target",
            "[Service]",
            $"ExecStartPre=/bin/sh -c 'docker image inspect {image} >/dev/null 2>&1 || docker pull {image}'",
            "ExecStartPre=-/usr/bin/docker rm --force purchase_predict_api",
            $"ExecStart=/usr/bin/docker run --rm --name purchase_predict_api --env-file /etc/default/purchase_predict_api --network host --memory 512m --memory-swap 512m {image}",
            "ExecReload=/usr/bin/docker kill --signal HUP purchase_predict_api",
            "ExecStop=/usr/bin/docker stop --time 30 purchase_predict_api",
            "TimeoutStartSec=300",
            "TimeoutStopSec=45",
            "Restart=always",
            "RestartSec=2",
            "[Install]",
            "WantedBy=multi-user.target",
        }));
    }

    [Test]
    public void StagingEnvFile_BindsPort80ItselfAndDrainsForTheGracefulTimeout()
    {
        var env = Staging.EnvFiles[Vm.Name].Value.Split('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(env, Does.Contain("PORT=80"));
            Assert.That(env, Does.Contain("GRACEFUL_TIMEOUT=30"));
            Assert.That(env, Does.Contain("WORKERS=4"));
        }
    }

    [Test]
    public void StagingSwitchOver_SetsTheKernel_ProvesBeside_AndHandsOverOnTheSharedPort() =>
        Assert.That(new[]
        {
            Commands.KernelSettings(Vm),
            Commands.StartCandidate("/tmp/purchase_predict_api.abc", "img@sha256:1", Staging.Network, Staging.ContainerPort, Staging.ContainerArguments),
            ServiceCommands.StartHandover("img@sha256:1", Staging.ContainerArguments),
            ServiceCommands.Restart(),
            Commands.ProbeService("img@sha256:1", Vm.ServicePort, 0, sharesPort: true),
            Commands.StopContainer(ServiceLayout.HandoverContainer, Staging.GracefulTimeoutSeconds),
        }.Select(command => command.ToString()), Is.EqualTo(new[]
        {
            "sh -s -- /etc/sysctl.d/60-purchase-predict-api.conf net.ipv4.tcp_migrate_req=1 net.ipv4.ip_unprivileged_port_start=80 < kernel-settings.sh",
            "sh -s -- purchase_predict_api_candidate /tmp/purchase_predict_api.abc/purchase_predict_api.env img@sha256:1 host 8080 20000 31999 --memory 512m --memory-swap 512m < start-candidate.sh",
            "docker run --detach --name purchase_predict_api_handover --log-driver journald --env-file /etc/default/purchase_predict_api --network host --memory 512m --memory-swap 512m img@sha256:1",
            "sh -c 'systemctl daemon-reload && systemctl enable --quiet purchase_predict_api.service && " +
                "systemctl restart purchase_predict_api.service && systemctl show purchase_predict_api.service --property=NRestarts --value' sh",
            "sh -s -- purchase_predict_api img@sha256:1 http://127.0.0.1:80 /var/lib/purchase_predict_api/request.json purchase_predict_api.service 0 shared < probe-release.sh",
            "sh -s -- purchase_predict_api_handover 30 < stop-container.sh",
        }));

    // One delivery mechanism: the sandbox tests what GCP runs. What may differ is listed in docs/deploy.md.
    [Test]
    public void Sandbox_DeliversLikeStaging_OnlyItsPortsDiffer()
    {
        var sandbox = Environment("sandbox");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((sandbox.Network, sandbox.Handover), Is.EqualTo((Staging.Network, Staging.Handover)));
            Assert.That((Staging.Network, Staging.Handover), Is.EqualTo((ContainerNetwork.Host, true)));
            Assert.That(VmKernelSettings.For(sandbox.Hosts[0]), Is.EqualTo(new[] { "net.ipv4.tcp_migrate_req=1" }),
                "port 8081 needs no lower unprivileged port start, and this machine's must not be raised");
            Assert.That(VmKernelSettings.For(Vm), Is.EqualTo(new[] { "net.ipv4.tcp_migrate_req=1", "net.ipv4.ip_unprivileged_port_start=80" }));
        }
    }
}
