//! The Fargate task size rule: sum the containers' CPU
//! (1024 units per vCPU) and memory (MiB), then take the smallest valid Fargate pair that fits
//! both, raising CPU to fit memory and never cutting memory.

/// One row of the Fargate table: a CPU size and the memory sizes it allows.
struct Row {
    cpu: u32,
    memory_min: u32,
    memory_max: u32,
    memory_step: u32,
    linux_only: bool,
}

/// Valid Fargate CPU / memory pairs (Linux; Windows has only the 1, 2 and 4 vCPU rows).
const ROWS: &[Row] = &[
    Row {
        cpu: 256,
        memory_min: 512,
        memory_max: 2048,
        memory_step: 512,
        linux_only: true,
    },
    Row {
        cpu: 512,
        memory_min: 1024,
        memory_max: 4096,
        memory_step: 1024,
        linux_only: true,
    },
    Row {
        cpu: 1024,
        memory_min: 2048,
        memory_max: 8192,
        memory_step: 1024,
        linux_only: false,
    },
    Row {
        cpu: 2048,
        memory_min: 4096,
        memory_max: 16384,
        memory_step: 1024,
        linux_only: false,
    },
    Row {
        cpu: 4096,
        memory_min: 8192,
        memory_max: 30720,
        memory_step: 1024,
        linux_only: false,
    },
    Row {
        cpu: 8192,
        memory_min: 16384,
        memory_max: 61440,
        memory_step: 4096,
        linux_only: true,
    },
    Row {
        cpu: 16384,
        memory_min: 32768,
        memory_max: 122880,
        memory_step: 8192,
        linux_only: true,
    },
];

/// Largest CPU a Fargate task can have (16 vCPU).
pub const MAX_CPU: u32 = 16384;
/// Largest memory a Fargate task can have (120 GiB).
pub const MAX_MEMORY: u32 = 122880;

/// The largest task of the platform: 16 vCPU / 120 GiB on Linux, 4 vCPU / 30 GiB on Windows.
pub fn largest(windows: bool) -> Size {
    let row = ROWS.iter().rev().find(|row| !(windows && row.linux_only));
    row.map_or(
        Size {
            cpu: MAX_CPU,
            memory: MAX_MEMORY,
        },
        |row| Size {
            cpu: row.cpu,
            memory: row.memory_max,
        },
    )
}

/// A task size: CPU units and memory MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// CPU units (1024 per vCPU).
    pub cpu: u32,
    /// Memory in MiB.
    pub memory: u32,
}

/// The memory sizes of a row, ascending. The 256 row has 512 then 1024, 2048 (not 1536).
fn memories(row: &Row) -> impl Iterator<Item = u32> + '_ {
    let stepped = (row.memory_min..=row.memory_max).step_by(row.memory_step as usize);
    stepped.filter(move |m| row.cpu != 256 || *m != 1536)
}

/// The smallest valid pair with CPU >= `request.cpu` and memory >= `request.memory`, CPU rows
/// tried in ascending order (so CPU is raised to fit memory); None when nothing fits.
pub fn fit(request: Size, windows: bool) -> Option<Size> {
    ROWS.iter()
        .filter(|row| !(windows && row.linux_only))
        .filter(|row| row.cpu >= request.cpu)
        .find_map(|row| {
            memories(row)
                .find(|m| *m >= request.memory)
                .map(|memory| Size {
                    cpu: row.cpu,
                    memory,
                })
        })
}

/// CPU units for `vcpus` (1024 per vCPU, rounded up).
pub fn cpu_units(vcpus: f64) -> u32 {
    let units = (vcpus * 1024.0).ceil();
    if units.is_finite() && units > 0.0 {
        units.min(u32::MAX as f64) as u32
    } else {
        0
    }
}

/// MiB for `bytes`, rounded up.
pub fn mebibytes(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(1 << 20)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(cpu: u32, memory: u32) -> Option<(u32, u32)> {
        fit(Size { cpu, memory }, false).map(|s| (s.cpu, s.memory))
    }

    #[test]
    fn every_row_of_the_table_is_valid_as_is() {
        // Each row's bounds and step, written out (compose-and-peers.md §4.1).
        let rows: &[(u32, &[u32])] = &[
            (256, &[512, 1024, 2048]),
            (512, &[1024, 2048, 3072, 4096]),
            (1024, &[2048, 3072, 4096, 5120, 6144, 7168, 8192]),
            (2048, &[4096, 5120, 8192, 12288, 16384]),
            (4096, &[8192, 9216, 20480, 30720]),
            (8192, &[16384, 20480, 40960, 61440]),
            (16384, &[32768, 40960, 98304, 122880]),
        ];
        for (cpu, mems) in rows {
            for m in *mems {
                assert_eq!(
                    pair(*cpu, *m),
                    Some((*cpu, *m)),
                    "{cpu}/{m} is a valid pair"
                );
            }
        }
    }

    #[test]
    fn values_between_steps_round_up_within_the_row() {
        assert_eq!(pair(256, 1536), Some((256, 2048)));
        assert_eq!(pair(8192, 17000), Some((8192, 20480)));
        assert_eq!(pair(16384, 33000), Some((16384, 40960)));
        assert_eq!(pair(4096, 31000), Some((8192, 32768)));
    }

    #[test]
    fn rounding_cases_of_section_4_2() {
        assert_eq!(pair(0, 0), Some((256, 512)));
        assert_eq!(pair(256, 4096), Some((512, 4096)));
        assert_eq!(pair(300, 600), Some((512, 1024)));
        assert_eq!(pair(1024, 1024), Some((1024, 2048)));
        assert_eq!(pair(512, 30720), Some((4096, 30720)));
        assert_eq!(pair(2048, 40000), Some((8192, 40960)));
        assert_eq!(pair(4096, 40960), Some((8192, 40960)));
        assert_eq!(pair(8192, 61440), Some((8192, 61440)));
        assert_eq!(pair(20000, 1024), None);
    }

    #[test]
    fn above_the_largest_task_nothing_fits() {
        assert_eq!(pair(MAX_CPU, MAX_MEMORY), Some((MAX_CPU, MAX_MEMORY)));
        assert_eq!(pair(MAX_CPU + 1, 0), None);
        assert_eq!(pair(0, MAX_MEMORY + 1), None);
    }

    #[test]
    fn windows_starts_at_one_vcpu() {
        assert_eq!(
            fit(Size { cpu: 0, memory: 0 }, true),
            Some(Size {
                cpu: 1024,
                memory: 2048
            })
        );
    }

    fn windows(cpu: u32, memory: u32) -> Option<(u32, u32)> {
        fit(Size { cpu, memory }, true).map(|s| (s.cpu, s.memory))
    }

    #[test]
    fn windows_stops_at_four_vcpu() {
        // AWS's table: 8 and 16 vCPU are Linux only; Windows tops out at 4 vCPU / 30 GiB.
        assert_eq!(windows(4096, 30720), Some((4096, 30720)));
        assert_eq!(windows(4097, 0), None);
        assert_eq!(windows(0, 30721), None);
        assert_eq!(windows(8192, 16384), None);
        assert_eq!(windows(16384, 32768), None);
        // The same requests fit on Linux, in the 8 and 16 vCPU rows.
        assert_eq!(pair(4097, 0), Some((8192, 16384)));
        assert_eq!(pair(0, 30721), Some((8192, 32768)));
        assert_eq!(pair(16384, 32768), Some((16384, 32768)));
        assert_eq!(
            largest(true),
            Size {
                cpu: 4096,
                memory: 30720
            }
        );
        assert_eq!(
            largest(false),
            Size {
                cpu: MAX_CPU,
                memory: MAX_MEMORY
            }
        );
    }

    #[test]
    fn units() {
        assert_eq!(cpu_units(0.25), 256);
        assert_eq!(cpu_units(0.1), 103);
        assert_eq!(cpu_units(-1.0), 0);
        assert_eq!(cpu_units(f64::NAN), 0);
        assert_eq!(mebibytes(512 << 20), 512);
        assert_eq!(mebibytes((512 << 20) + 1), 513);
        assert_eq!(mebibytes(u64::MAX), u32::MAX);
    }
}
