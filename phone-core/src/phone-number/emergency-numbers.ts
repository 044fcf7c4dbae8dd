/**
 * Emergency numbers per country. libphonenumber-js has no short-number metadata, so this small table is
 * taken from google-libphonenumber 3.2.47 `ShortNumberInfo.connectsToEmergencyNumber` (the unit test checks
 * it against that library). Countries not listed fall back to {@link DEFAULT_EMERGENCY_NUMBERS}.
 *
 * The table only decides between the kinds `emergency` and `short-code`: both are dialable and neither is
 * ever searched, so a missing country costs a label, never a wrong match.
 */
export const EMERGENCY_NUMBERS: Readonly<Record<string, readonly string[]>> = {
    PL: ['112', '997', '998', '999'],
    NL: ['112', '911'],
    CZ: ['112', '150', '151', '152', '153', '154', '155', '156', '157', '158', '159'],
    SK: ['112', '150', '155', '158'],
    RU: ['01', '02', '03', '101', '102', '103', '112'],
    UA: ['101', '102', '103', '112'],
    BY: ['101', '102', '103', '112'],
    KZ: ['101', '102', '103', '112'],
    DE: ['110', '112'],
    AT: ['112', '122', '133', '144'],
    CH: ['112', '117', '118', '144'],
    BE: ['100', '101', '112'],
    GB: ['112', '999'],
    US: ['112', '911'],
    CA: ['112', '911'],
    FR: ['15', '17', '18', '112'],
    IT: ['112', '113', '115', '118'],
    ES: ['085', '088', '112'],
    AU: ['000', '106', '112']
};

/** Used when the default country is unknown or not in the table: the GSM-mandated 112 and 911, and 999. */
export const DEFAULT_EMERGENCY_NUMBERS: readonly string[] = ['112', '911', '999'];

/** True when `digits` (no `+`, no separators) is an emergency number in `country` (ISO alpha-2, upper case). */
export function isEmergencyNumber(digits: string, country: string | undefined): boolean {
    const list = (country && EMERGENCY_NUMBERS[country]) || DEFAULT_EMERGENCY_NUMBERS;
    return list.includes(digits);
}
