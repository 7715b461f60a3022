//! 统计 (SPEC §7, 002) and the exact ratios the dashboards show.

use serde::{Deserialize, Serialize};

/// An exact share, e.g. 调处化解率 = resolved / found, shown as a percentage to 0.01 without
/// floating point so the browser and the server print the same figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    pub fn new(numerator: u64, denominator: u64) -> Self {
        Ratio {
            numerator,
            denominator,
        }
    }

    /// Hundredths of a percent, rounded half up; `None` when there is nothing to divide by.
    pub fn percent_hundredths(self) -> Option<u64> {
        if self.denominator == 0 {
            return None;
        }
        let scaled = u128::from(self.numerator) * 10_000;
        let den = u128::from(self.denominator);
        Some(((scaled * 2 + den) / (den * 2)) as u64)
    }

    /// "87.50%", or "—" when the denominator is 0.
    pub fn percent_text(self) -> String {
        match self.percent_hundredths() {
            Some(h) => format!("{}.{:02}%", h / 100, h % 100),
            None => "—".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn percentages_are_exact_to_the_hundredth() {
        assert_eq!(Ratio::new(6, 6).percent_text(), "100.00%");
        assert_eq!(Ratio::new(2, 3).percent_text(), "66.67%");
        assert_eq!(Ratio::new(1, 8).percent_text(), "12.50%");
        assert_eq!(Ratio::new(1, 80_000).percent_text(), "0.00%");
        assert_eq!(Ratio::new(1, 20_000).percent_text(), "0.01%");
        assert_eq!(Ratio::new(0, 0).percent_text(), "—");
    }

    proptest! {
        #[test]
        fn a_share_of_a_whole_stays_within_0_and_100(d in 1u64..1_000_000, n in 0u64..1_000_000) {
            let n = n % (d + 1);
            let p = Ratio::new(n, d).percent_hundredths().unwrap();
            prop_assert!(p <= 10_000);
        }
    }
}
