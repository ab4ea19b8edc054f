//! CX650-CX659: EC2 capacity (x-cluster.MacroParameters.Ec2Capacity), services placed on it,
//! placement and GPUs.

use super::short::{ERROR, ERROR_OR_WARNING};
use super::{CodeInfo, Example};

pub(super) const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "CX650",
        severities: ERROR,
        title: "EC2 capacity that cannot be rendered",
        explanation: "`x-cluster.MacroParameters.Ec2Capacity` gives a new cluster an Auto Scaling \
group of ECS-optimised EC2 instances behind a capacity provider. It is a mapping of \
`InstanceTypes` (a list of EC2 instance types), `MinSize` (0..1000, default 0), `MaxSize` \
(1..1000, default 10), `TargetCapacity` (1..100, default 100: ECS managed scaling fills the \
instances), `CpuArchitecture` (X86_64 or ARM64), `Gpu` (true or false; the ECS GPU AMI, X86_64 \
only), `VolumeSize` (GiB, at least 30) and `Spot` (`OnDemandBaseCapacity`, \
`OnDemandPercentageAboveBaseCapacity`, `MaxPrice`). Another key or value, or `Ec2Capacity` with \
`Lookup` (an existing cluster keeps its own instances), is an error at it.",
        example: Example::Compose {
            bad: "services:\n  app:\n    image: nginx\n    deploy:\n      labels:\n        ecs.compute.platform: EC2\nx-cluster:\n  MacroParameters:\n    Ec2Capacity:\n      InstanceTypes: m6i.large\n",
            fixed: "services:\n  app:\n    image: nginx\n    deploy:\n      labels:\n        ecs.compute.platform: EC2\nx-cluster:\n  MacroParameters:\n    Ec2Capacity:\n      InstanceTypes: [m6i.large]\n",
        },
    },
    CodeInfo {
        code: "CX651",
        severities: ERROR_OR_WARNING,
        title: "EC2 compute the cluster does not have",
        explanation: "A task family runs on EC2 when one of its services has the deploy label \
`ecs.compute.platform: EC2` (as in ComposeX) or names the provider `EC2` in \
`x-ecs.CapacityProviderStrategy`. The cluster must then have EC2 capacity: a new cluster with \
`x-cluster.MacroParameters.Ec2Capacity` (the services use its capacity provider), or an existing \
one (`x-cluster.Lookup`: the services ask for launch type EC2 and run on its instances). The \
label takes EC2, FARGATE or EXTERNAL (ECS Anywhere, not rendered by composex); a strategy cannot \
mix Fargate and EC2 providers. As in ComposeX, the EC2 label wins over a strategy naming only \
Fargate providers: that strategy is not used (a warning at it). A family on EC2 must run Linux \
on the instances' CPU architecture (`Ec2Capacity.CpuArchitecture`); its Fargate ephemeral \
storage size is not used there (a warning: tasks use the instances' volume).",
        example: Example::Compose {
            bad: "services:\n  app:\n    image: nginx\n    deploy:\n      labels:\n        ecs.compute.platform: EC2\n",
            fixed: "services:\n  app:\n    image: nginx\n    deploy:\n      labels:\n        ecs.compute.platform: EC2\nx-cluster:\n  MacroParameters:\n    Ec2Capacity:\n      InstanceTypes: [m6i.large]\n",
        },
    },
    CodeInfo {
        code: "CX652",
        severities: ERROR,
        title: "Placement that ECS cannot do here",
        explanation: "`deploy.placement` becomes the ECS service's placement constraints and \
strategies, which only EC2 capacity has (Fargate spreads tasks across the subnets' zones \
itself). On EC2, constraints `node.labels.<attribute> == <value>` (or `!=`), \
`node.platform.os` and `node.platform.arch` become memberOf expressions on the container \
instances' attributes, `preferences: [{spread: node.labels.<attribute>}]` a spread strategy, and \
`max_replicas_per_node: 1` the distinctInstance constraint. Placement on Fargate, or another \
field (`node.hostname`, `node.role`, `engine.labels`), is an error at it.",
        example: Example::Compose {
            bad: "services:\n  app:\n    image: nginx\n    deploy:\n      placement:\n        constraints: [\"node.labels.disk == ssd\"]\n",
            fixed: "services:\n  app:\n    image: nginx\n    deploy:\n      labels:\n        ecs.compute.platform: EC2\n      placement:\n        constraints: [\"node.labels.disk == ssd\"]\nx-cluster:\n  MacroParameters:\n    Ec2Capacity:\n      InstanceTypes: [m6i.large]\n",
        },
    },
    CodeInfo {
        code: "CX653",
        severities: ERROR,
        title: "Device reservation that ECS cannot make here",
        explanation: "`deploy.resources.reservations.devices` with `capabilities: [gpu]` and a \
`count` becomes the container's GPU resource requirement, which only EC2 GPU instances have: \
a family that reserves a GPU runs on the cluster's EC2 capacity (`Ec2Capacity` uses the ECS GPU \
AMI then). On Fargate it is an error at `devices`, and so are devices without the gpu \
capability, `device_ids` (ECS picks the GPUs), `count: all`, driver options, or a driver other \
than nvidia.",
        example: Example::Compose {
            bad: "services:\n  train:\n    image: nvidia/cuda:12.4.1-base-ubuntu22.04\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n              count: 1\n",
            fixed: "services:\n  train:\n    image: nvidia/cuda:12.4.1-base-ubuntu22.04\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n              count: 1\nx-cluster:\n  MacroParameters:\n    Ec2Capacity:\n      InstanceTypes: [g5.xlarge]\n",
        },
    },
];
