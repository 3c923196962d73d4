//! The statistics behind the report, written out so every number can be checked against scipy/statsmodels
//! (fixtures in tests/measure/): normal and Student t distributions, Welch's t-test, the two-proportion z-test,
//! Wilson intervals and the sample size for a target lift. Two-sided tests, 95% intervals.

use serde::Serialize;

const EPS: f64 = 1e-16;
const TINY: f64 = 1e-300;

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the approximation in its accurate range.
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularized upper incomplete gamma Q(a, x).
fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let ln_pre = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        // Series for P, then Q = 1 - P.
        let (mut sum, mut term, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * EPS {
                break;
            }
        }
        1.0 - sum * ln_pre.exp()
    } else {
        // Continued fraction for Q (modified Lentz).
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / TINY;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < TINY {
                d = TINY;
            }
            c = b + an / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < EPS {
                break;
            }
        }
        ln_pre.exp() * h
    }
}

/// erfc(x), accurate in the tails (through the incomplete gamma function).
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x >= 0.0 {
        gamma_q(0.5, x * x)
    } else {
        2.0 - gamma_q(0.5, x * x)
    }
}

/// Standard normal CDF.
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Standard normal survival function 1 - Φ(x), without cancellation.
pub fn norm_sf(x: f64) -> f64 {
    0.5 * erfc(x / std::f64::consts::SQRT_2)
}

fn norm_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard normal quantile: Acklam's rational approximation, polished by Halley steps to full precision.
pub fn norm_ppf(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || p.is_nan() {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] =
        [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    let pl = 0.02425;
    let mut x = if p < pl {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - pl {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    for _ in 0..3 {
        // Work on the smaller tail so the residual keeps its precision.
        let e = if x < 0.0 { norm_cdf(x) - p } else { (1.0 - p) - norm_sf(x) };
        let u = e / norm_pdf(x);
        x -= u / (1.0 + x * u / 2.0);
    }
    x
}

/// Regularized incomplete beta I_x(a, b), with y = 1 - x passed separately to avoid cancellation.
fn beta_inc(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * y.ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_cf(a, b, x) / a
    } else {
        1.0 - ln_front.exp() * beta_cf(b, a, y) / b
    }
}

/// The continued fraction of the incomplete beta (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..100_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// Student t survival function P(T > t) with `df` degrees of freedom (df may be fractional, as in Welch).
pub fn t_sf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    let t2 = t * t;
    let x = df / (df + t2);
    let y = t2 / (df + t2);
    let tail = 0.5 * beta_inc(df / 2.0, 0.5, x, y);
    if t > 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

pub fn t_cdf(t: f64, df: f64) -> f64 {
    t_sf(-t, df)
}

fn t_pdf(t: f64, df: f64) -> f64 {
    (ln_gamma((df + 1.0) / 2.0)
        - ln_gamma(df / 2.0)
        - 0.5 * (df * std::f64::consts::PI).ln()
        - (df + 1.0) / 2.0 * (1.0 + t * t / df).ln())
    .exp()
}

/// Student t quantile: safeguarded Newton on the survival function.
pub fn t_ppf(p: f64, df: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || p.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    if p < 0.5 {
        return -t_ppf(1.0 - p, df);
    }
    let target = 1.0 - p; // upper tail
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while t_sf(hi, df) > target {
        lo = hi;
        hi *= 2.0;
        if hi > 1e300 {
            return f64::INFINITY;
        }
    }
    let mut x = norm_ppf(p).clamp(lo, hi);
    for _ in 0..200 {
        let f = t_sf(x, df) - target;
        if f > 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let step = f / t_pdf(x, df);
        let mut next = x + step;
        if next <= lo || next >= hi || !next.is_finite() {
            next = 0.5 * (lo + hi);
        }
        if (next - x).abs() <= 1e-15 * x.abs().max(1.0) {
            return next;
        }
        x = next;
    }
    x
}

/// Mean and sample variance (ddof = 1), two-pass for accuracy.
pub fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    if xs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, f64::NAN);
    }
    let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    let comp: f64 = xs.iter().map(|x| x - mean).sum();
    (mean, (ss - comp * comp / n) / (n - 1.0))
}

/// A difference between a treatment and a control: estimate, 95% interval, two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    /// treatment - control
    pub estimate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub p_value: f64,
    /// The test statistic (t or z).
    pub statistic: f64,
    /// Degrees of freedom (Welch) or None (z-test).
    pub df: Option<f64>,
}

/// Welch's t-test of treatment `a` against control `b` (scipy `ttest_ind(a, b, equal_var=False)`) with the
/// 95% interval of the difference of means. None when either side has fewer than two values or no spread.
pub fn welch(a: &[f64], b: &[f64]) -> Option<Difference> {
    let (ma, va) = mean_var(a);
    let (mb, vb) = mean_var(b);
    welch_from(ma, va, a.len() as f64, mb, vb, b.len() as f64)
}

pub fn welch_from(ma: f64, va: f64, na: f64, mb: f64, vb: f64, nb: f64) -> Option<Difference> {
    if na < 2.0 || nb < 2.0 {
        return None;
    }
    let (qa, qb) = (va / na, vb / nb);
    let se2 = qa + qb;
    // Also catches NaN variances.
    if se2.is_nan() || se2 <= 0.0 {
        return None;
    }
    let se = se2.sqrt();
    let df = se2 * se2 / (qa * qa / (na - 1.0) + qb * qb / (nb - 1.0));
    let diff = ma - mb;
    let t = diff / se;
    let p = (2.0 * t_sf(t.abs(), df)).min(1.0);
    let crit = t_ppf(0.975, df);
    Some(Difference {
        estimate: diff,
        ci_low: diff - crit * se,
        ci_high: diff + crit * se,
        p_value: p,
        statistic: t,
        df: Some(df),
    })
}

/// Two-proportion z-test of x1/n1 (treatment) against x2/n2 (control): pooled z and p-value as statsmodels
/// `proportions_ztest`, 95% Wald interval of the difference as `confint_proportions_2indep(method="wald")`.
pub fn two_proportion(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<Difference> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let (p1, p2) = (x1 as f64 / n1f, x2 as f64 / n2f);
    let pool = (x1 + x2) as f64 / (n1f + n2f);
    let se0 = (pool * (1.0 - pool) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    let diff = p1 - p2;
    let (z, p) = if se0 > 0.0 {
        let z = diff / se0;
        (z, (2.0 * norm_sf(z.abs())).min(1.0))
    } else {
        (f64::NAN, f64::NAN)
    };
    let crit = norm_ppf(0.975);
    let se = (p1 * (1.0 - p1) / n1f + p2 * (1.0 - p2) / n2f).sqrt();
    Some(Difference {
        estimate: diff,
        ci_low: diff - crit * se,
        ci_high: diff + crit * se,
        p_value: p,
        statistic: z,
        df: None,
    })
}

/// 95% Wilson score interval for x successes in n (statsmodels `proportion_confint(method="wilson")`).
pub fn wilson(x: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let q = x as f64 / nf;
    let z = norm_ppf(0.975);
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let center = (q + z2 / (2.0 * nf)) / denom;
    let half = z * (q * (1.0 - q) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    Some((center - half, center + half))
}

/// Units per group needed to detect an absolute difference `delta` between two means with standard deviations
/// `sd_a`, `sd_b`, two-sided alpha 0.05 and 80% power (normal approximation):
/// n = (z₀.₉₇₅ + z₀.₈)² (sd_a² + sd_b²) / delta².
pub fn sample_size(sd_a: f64, sd_b: f64, delta: f64) -> Option<f64> {
    if delta.is_nan() || delta == 0.0 || !sd_a.is_finite() || !sd_b.is_finite() {
        return None;
    }
    let z = norm_ppf(0.975) + norm_ppf(0.8);
    Some(z * z * (sd_a * sd_a + sd_b * sd_b) / (delta * delta))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn known_values() {
        assert!(close(norm_cdf(1.959963984540054), 0.975, 1e-15));
        assert!(close(norm_ppf(0.975), 1.959963984540054, 1e-14));
        assert!(close(norm_ppf(0.8), 0.8416212335729143, 1e-14));
        assert!((norm_sf(10.0) / 7.619853024160527e-24 - 1.0).abs() < 1e-12);
        // t with 10 df: scipy.stats.t.ppf(0.975, 10)
        assert!(close(t_ppf(0.975, 10.0), 2.228138851986274, 1e-13));
        assert!(close(t_sf(2.0, 5.0), 0.050969739414929, 1e-12));
        assert!(close(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-14));
    }
}
