// Names as they fit a chart's axis or a sentence's count. Agency and indicator names are data and
// stay Vietnamese in every language; the shortenings are the ones the province's own documents use.

const ABBREVIATIONS: readonly (readonly [RegExp, string])[] = [
  [/Bảo hiểm xã hội/giu, "BHXH"],
  [/Ủy ban nhân dân|Uỷ ban nhân dân/giu, "UBND"],
  [/Hội đồng nhân dân/giu, "HĐND"],
  [/Ban Quản lý/giu, "BQL"],
  [/Khu Công nghiệp/giu, "KCN"],
  [/Khu kinh tế/giu, "KKT"],
  [/Liên đoàn Lao động/giu, "LĐLĐ"],
  [/Phát thanh, Truyền hình/giu, "PT-TH"],
  [/Hợp tác xã/giu, "HTX"],
];

/** "Bảo hiểm xã hội tỉnh" → "BHXH tỉnh"; a name without a known phrase stays as it is ("Sở Tài chính"). */
export function shortAgencyName(name: string): string {
  return ABBREVIATIONS.reduce((text, [phrase, short]) => text.replace(phrase, short), name.trim());
}

/** "Tỷ lệ tham gia bảo hiểm xã hội bắt buộc" → "BHXH bắt buộc": the axis already says it is a rate. */
export function shortIndicatorName(name: string): string {
  const rest = name.trim().replace(/^Tỷ lệ (?:tham gia |bao phủ )?/iu, "");
  const short = shortAgencyName(rest);
  return short.charAt(0).toLocaleUpperCase("vi") + short.slice(1);
}

export const MEMBER_KINDS = ["commune", "ward", "township", "special_zone"] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

// The word a commune-level unit's official name starts with (Decree 19/2025 names communes, wards
// and special zones; townships remain in older lists).
const KIND_WORDS: readonly (readonly [RegExp, MemberKind])[] = [
  [/^xã\s/iu, "commune"],
  [/^phường\s/iu, "ward"],
  [/^thị trấn\s/iu, "township"],
  [/^đặc khu\s/iu, "special_zone"],
];

/**
 * The kinds of units a group's members are, in the conventional order ("xã, phường"), or null when
 * some member's name says no kind: the caller then says "members" rather than guess.
 */
export function memberKinds(names: readonly string[]): MemberKind[] | null {
  const found = new Set<MemberKind>();
  for (const name of names) {
    const kind = KIND_WORDS.find(([word]) => word.test(name.trim()))?.[1];
    if (!kind) return null;
    found.add(kind);
  }
  return found.size ? MEMBER_KINDS.filter((k) => found.has(k)) : null;
}
