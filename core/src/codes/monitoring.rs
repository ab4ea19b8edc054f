//! CX662-CX669: x-prometheus and x-monitoring (the CloudWatch agent sidecar).

use super::short::ERROR_OR_WARNING;
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX662",
        severities: ERROR_OR_WARNING,
        title: "x-prometheus is malformed",
        explanation: "A service's `x-prometheus` adds the CloudWatch agent as a sidecar that finds the \
family's Prometheus exporters and sends their metrics to CloudWatch Container Insights. It takes \
`ContainersInsights` with `CollectForJavaJmx`, `CollectForNginx` (`true` or \
`{ExporterPort, ExporterPath, source_labels, label_matcher}`), `CustomRules` (each with \
`ExporterPort` and `EmfProcessors`), `ScrapingConfiguration`, `CollectEmf` and \
`EnableCWAgentDebug`. An unknown key, a value of the wrong kind, a port out of range or a custom \
rule without its port or processors is an error at that value; `ContainersInsights` that asks for \
nothing to collect is a warning (no agent is added). `AutoAddNginxPrometheusExporter`, \
`CollectForNginxPlus` and `CollectForAppMesh` are not applied: a warning says what to write instead.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: tomcat:10
    x-prometheus:
      ContainersInsights:
        CollectForJavaJmx:
          ExporterPort: 99999
"#,
            fixed: r#"services:
  app:
    image: tomcat:10
    x-prometheus:
      ContainersInsights:
        CollectForJavaJmx:
          ExporterPort: 9404
"#,
        },
    },
    CodeInfo {
        code: "CX663",
        severities: ERROR_OR_WARNING,
        title: "x-monitoring is malformed",
        explanation: "A service's `x-monitoring` adds the CloudWatch agent as a sidecar that receives \
the application's embedded metric format (EMF) logs: `CWAgentCollectEmf: true`, or a mapping with \
`UseLatest: true` or `OverrideImage: <image>` (also written `CollectEmf: {CloudwatchAgent: ...}`). \
Another kind of value, an unknown key, or a mapping with neither `UseLatest` nor `OverrideImage` is \
an error; `CollectEmf.FluentBit` and `CollectEmf.OTEL` are not supported (ECS ComposeX does not \
implement them either). `InterpolateWithDigest: true` is a warning: composex makes no registry \
call, so the image is used as written. A Windows task family cannot run the agent (a Linux \
image): an error at the family.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: nginx
    x-monitoring:
      CWAgentCollectEmf: {InterpolateWithDigest: false}
"#,
            fixed: r#"services:
  app:
    image: nginx
    x-monitoring:
      CWAgentCollectEmf: {UseLatest: true}
"#,
        },
    },
    CodeInfo {
        code: "CX664",
        severities: ERROR_OR_WARNING,
        title: "Prometheus scrape configuration that cannot be used",
        explanation: "`x-prometheus.ContainersInsights.ScrapingConfiguration` sets the scrape \
`Interval` and `Timeout` (Prometheus durations such as `30s` or `1m30s`; the timeout at most the \
interval) or names a `ScrapingConfigurationFile`, which the agent gets whole through an SSM \
parameter (8 KB at most). A value that is not a duration, a timeout longer than the interval, an \
empty path or a file too large is an error at the value; `Interval` or `Timeout` next to a file is \
a warning (the file's `global:` section decides), and so is a file Prometheus would refuse (no \
`scrape_configs` list, a job without `job_name`, a `file_sd_configs` or `static_configs` that is \
not a list: located in the file). A file that is not given is CX260.",
        example: Example::Compose {
            bad: r#"services:
  app:
    image: tomcat:10
    x-prometheus:
      ContainersInsights:
        CollectForJavaJmx: true
        ScrapingConfiguration:
          Interval: 15s
          Timeout: 1m
"#,
            fixed: r#"services:
  app:
    image: tomcat:10
    x-prometheus:
      ContainersInsights:
        CollectForJavaJmx: true
        ScrapingConfiguration:
          Interval: 1m
          Timeout: 15s
"#,
        },
    },
];
