/**
 * Workbench implementation of the part of `lightning/uiObjectInfoApi` the package uses: the `getObjectInfos`
 * wire adapter, answered by the local org (the objects' labels in the user's language; an object the org
 * does not know gets its own 400 result, the others still load, as on the platform).
 */
import { orgGet, OrgWireAdapter } from 'wb/orgClient';

interface ObjectInfosData {
    results: Array<{ statusCode: number; result: Record<string, unknown> }>;
}

/** Wire adapter: `{ objectApiNames }`. */
export class getObjectInfos extends OrgWireAdapter<{ objectApiNames?: readonly string[] }, ObjectInfosData> {
    protected override load(config: { objectApiNames?: readonly string[] }): Promise<ObjectInfosData> | null {
        const names = config.objectApiNames ?? [];
        if (names.length === 0) return null;
        return orgGet<ObjectInfosData>(`/object-infos?names=${names.map(encodeURIComponent).join(',')}`);
    }
}
