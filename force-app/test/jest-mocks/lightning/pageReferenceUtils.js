/* global jest */
/**
 * Jest mock of `lightning/pageReferenceUtils` with the platform's encoding (key=value pairs joined by commas,
 * each part URI-encoded), so tests can assert the `defaultFieldValues` state of a `new` navigation.
 */
export const encodeDefaultFieldValues = jest.fn((values) =>
    Object.entries(values ?? {})
        .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
        .join(',')
);
export const decodeDefaultFieldValues = jest.fn((text) =>
    Object.fromEntries(
        String(text ?? '')
            .split(',')
            .filter(Boolean)
            .map((pair) => pair.split('=').map((part) => decodeURIComponent(part)))
    )
);
