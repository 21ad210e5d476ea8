// Vietnamese number formats: 1.115.590 and 95,02%. Written by hand rather than with Intl so the
// output does not depend on the ICU data bundled with a particular Node build.

export function formatInteger(value: number, thousands = "."): string {
  const sign = value < 0 ? "-" : "";
  const digits = String(Math.trunc(Math.abs(value)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
}

/** Up to `maxDecimals` decimals, trailing zeros dropped: 95 → "95%", 3.8 → "3,8%", 95.02 → "95,02%". */
export function formatPercent(value: number, decimalSeparator = ",", thousands = ".", maxDecimals = 2): string {
  const factor = 10 ** maxDecimals;
  const rounded = Math.round(value * factor) / factor;
  const [whole, fraction] = Math.abs(rounded).toFixed(maxDecimals).split(".");
  const trimmed = (fraction ?? "").replace(/0+$/, "");
  const sign = rounded < 0 ? "-" : "";
  return `${sign}${formatInteger(Number(whole), thousands)}${trimmed ? decimalSeparator + trimmed : ""}%`;
}

/** Participants as a percentage of the eligible population, to 2 decimals (95,38%). */
export function ratePercent(participants: number, eligiblePopulation: number): number {
  return roundTo((participants / eligiblePopulation) * 100, 2);
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
