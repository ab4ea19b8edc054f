//! CX603-CX619: x-codeguru_profiler and x-dashboards.

use super::short::{ERROR, ERROR_OR_WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX603",
        severities: ERROR,
        title: "Service x-codeguru_profiler that is no profiler",
        explanation: "A service's `x-codeguru_profiler` is `true` (a profiling group for the \
service), a mapping of `AWS::CodeGuruProfiler::ProfilingGroup` properties (a group for the \
service made from them), the name of a top-level `x-codeguru_profiler` resource (that group), or \
`false` (nothing). A number, a list, or a name no top-level resource has is an error at the value, \
with the names that exist.",
        example: Example::Compose {
            bad: "services:\n  app:\n    image: nginx\n    x-codeguru_profiler: shared\nx-codeguru_profiler:\n  team:\n    Properties: {}\n",
            fixed: "services:\n  app:\n    image: nginx\n    x-codeguru_profiler: team\nx-codeguru_profiler:\n  team:\n    Properties: {}\n",
        },
    },
    CodeInfo {
        code: "CX604",
        severities: ERROR_OR_WARNING,
        title: "Dashboard setting composex cannot render",
        explanation: "An x-dashboards definition has `Type: cloudwatch` (the only kind) and, per \
service under `Services`, the option `UsePredefinedMetrics`. Another `Type`, or another option of \
a service, is an error at it. A dashboard left with no service to show (no `Services`, or every \
one with `UsePredefinedMetrics: false`) is a warning at its name, and the dashboard is not made.",
        example: Example::Compose {
            bad: "services:\n  app:\n    image: nginx\nx-dashboards:\n  board:\n    Type: cloudwatch\n    Services:\n      app:\n        UsePredefinedMetric: true\n",
            fixed: "services:\n  app:\n    image: nginx\nx-dashboards:\n  board:\n    Type: cloudwatch\n    Services:\n      app:\n        UsePredefinedMetrics: true\n",
        },
    },
];
