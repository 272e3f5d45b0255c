//! Hybrid logical clock: timestamps that order changes made on laptops whose clocks disagree and that go offline for
//! days. Each timestamp is (physical milliseconds, logical counter, device); it never goes backwards on one device,
//! and observing a remote timestamp moves the local clock past it, so "last writer wins" means the same on every
//! laptop. The string form sorts in the same order as the values, so SQL can compare it as text.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// One instant of the hybrid logical clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HlcTimestamp {
    pub millis: u64,
    pub counter: u32,
    pub device: Uuid,
}

/// The clock of one device: the last timestamp it issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HybridClock {
    device: Uuid,
    last_millis: u64,
    last_counter: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a hybrid-logical-clock timestamp: {0:?}")]
pub struct HlcParseError(String);

impl HybridClock {
    /// A clock resumed from its last issued value (`0, 0` for a new device).
    pub fn resume(device: Uuid, last_millis: u64, last_counter: u32) -> Self {
        Self { device, last_millis, last_counter }
    }

    pub fn device(&self) -> Uuid {
        self.device
    }

    /// The last value issued, to persist with the change that used it.
    pub fn last(&self) -> (u64, u32) {
        (self.last_millis, self.last_counter)
    }

    /// Issues a timestamp for a local event, given the wall clock now. Strictly greater than every earlier one.
    pub fn tick(&mut self, wall_millis: u64) -> HlcTimestamp {
        if wall_millis > self.last_millis {
            self.last_millis = wall_millis;
            self.last_counter = 0;
        } else {
            self.last_counter += 1;
        }
        self.stamp()
    }

    /// Moves the clock past a timestamp received from another device, then issues a local one after both.
    pub fn observe(&mut self, remote: HlcTimestamp, wall_millis: u64) -> HlcTimestamp {
        let max_millis = wall_millis.max(self.last_millis).max(remote.millis);
        let counter = if max_millis == self.last_millis && max_millis == remote.millis {
            self.last_counter.max(remote.counter) + 1
        } else if max_millis == self.last_millis {
            self.last_counter + 1
        } else if max_millis == remote.millis {
            remote.counter + 1
        } else {
            0
        };
        self.last_millis = max_millis;
        self.last_counter = counter;
        self.stamp()
    }

    fn stamp(&self) -> HlcTimestamp {
        HlcTimestamp { millis: self.last_millis, counter: self.last_counter, device: self.device }
    }
}

impl fmt::Display for HlcTimestamp {
    /// `000001763700000000-0000000001-<device uuid>`: fixed widths, so text order is time order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:018}-{:010}-{}", self.millis, self.counter, self.device.as_hyphenated())
    }
}

impl FromStr for HlcTimestamp {
    type Err = HlcParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || HlcParseError(s.to_owned());
        let mut parts = s.splitn(3, '-');
        let millis = parts.next().filter(|p| p.len() == 18).ok_or_else(bad)?;
        let counter = parts.next().filter(|p| p.len() == 10).ok_or_else(bad)?;
        let device = parts.next().ok_or_else(bad)?;
        Ok(HlcTimestamp {
            millis: millis.parse().map_err(|_| bad())?,
            counter: counter.parse().map_err(|_| bad())?,
            device: Uuid::parse_str(device).map_err(|_| bad())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    #[test]
    fn ticks_never_go_backwards_even_when_the_wall_clock_does() {
        let mut clock = HybridClock::resume(device(1), 0, 0);
        let a = clock.tick(1_000);
        let b = clock.tick(900); // the laptop's clock was set back
        let c = clock.tick(1_000);
        let d = clock.tick(1_001);
        assert!(a < b && b < c && c < d, "each local event must be after the previous one: {a} {b} {c} {d}");
        assert_eq!(d.counter, 0, "a wall clock that moved forward resets the counter");
    }

    #[test]
    fn observing_a_remote_timestamp_moves_past_it() {
        let mut fast = HybridClock::resume(device(1), 0, 0);
        let mut slow = HybridClock::resume(device(2), 0, 0);
        let remote = fast.tick(50_000); // a laptop whose clock runs ahead
        let after = slow.observe(remote, 10_000);
        assert!(after > remote, "a change made after seeing another must order after it");
        let next = slow.tick(10_001);
        assert!(next > after, "the local clock keeps the remote's time afterwards");
    }

    #[test]
    fn text_form_sorts_like_the_values_and_round_trips() {
        let mut clock = HybridClock::resume(device(3), 0, 0);
        let stamps: Vec<_> = [5, 5, 70, 70_000_000_000_000].iter().map(|&ms| clock.tick(ms)).collect();
        for pair in stamps.windows(2) {
            assert!(pair[0].to_string() < pair[1].to_string(), "text order must be time order");
        }
        for stamp in &stamps {
            assert_eq!(stamp.to_string().parse::<HlcTimestamp>().as_ref(), Ok(stamp), "must read back");
        }
        assert!("12-3-x".parse::<HlcTimestamp>().is_err(), "malformed text is refused, not guessed");
    }

    #[test]
    fn same_instant_on_two_devices_is_ordered_by_device() {
        let a = HybridClock::resume(device(1), 0, 0).tick(7);
        let b = HybridClock::resume(device(2), 0, 0).tick(7);
        assert!(a < b && a.to_string() < b.to_string(), "ties break the same way on every laptop");
    }
}
