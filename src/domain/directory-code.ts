/** A commune-level unit's official code (25195): its directory code, where other agencies have a mnemonic. */
const OFFICIAL_UNIT_CODE = /^\d{5}$/;

/**
 * A directory agency as the views show an agency: a commune-level unit is named as its committee
 * ("UBND Phường Bình Phước"), as it is where a plan lists it among its group's members.
 */
export function asShownAgency(agency: { code: string; name: string }): {
  code: string;
  name: string;
  parentId: number | null;
} {
  return { code: agency.code, name: agency.name, parentId: OFFICIAL_UNIT_CODE.test(agency.code) ? 0 : null };
}
