/**
 * Matches request paths against the OpenAPI path templates (`/v1/agents/{agentId}`); a literal
 * segment wins over a template one (`/v1/agents/by-email/x` is never `{agentId}` = "by-email").
 */

/** A route: a path template and the operation of each method. */
interface Route<T> {
    segments: string[];
    literalCount: number;
    methods: Map<string, T>;
}

/** Result of {@link PathRouter.match}. */
export type RouteMatch<T> =
    | { kind: 'found'; value: T; params: Record<string, string> }
    | { kind: 'method-not-allowed'; allowed: string[] }
    | { kind: 'not-found' };

/** See the module documentation. */
export class PathRouter<T> {
    private readonly routes: Route<T>[] = [];

    /** Adds `value` for `method` on `template`. */
    add(method: string, template: string, value: T): void {
        const segments = template.split('/').filter(Boolean);
        let route = this.routes.find((r) => r.segments.join('/') === segments.join('/'));
        if (!route) {
            route = {
                segments,
                literalCount: segments.filter((s) => !s.startsWith('{')).length,
                methods: new Map()
            };
            this.routes.push(route);
            this.routes.sort((a, b) => b.literalCount - a.literalCount);
        }
        route.methods.set(method.toUpperCase(), value);
    }

    /**
     * Finds the route of a path.
     * @throws URIError when a path segment is not valid percent-encoding
     */
    match(method: string, pathname: string): RouteMatch<T> {
        const parts = pathname.split('/').filter(Boolean);
        let allowed: string[] | undefined;
        for (const route of this.routes) {
            if (route.segments.length !== parts.length) continue;
            const params: Record<string, string> = {};
            const fits = route.segments.every((segment, i) => {
                if (segment.startsWith('{')) {
                    params[segment.slice(1, -1)] = decodeURIComponent(parts[i]!);
                    return true;
                }
                return segment === parts[i];
            });
            if (!fits) continue;
            const value = route.methods.get(method.toUpperCase());
            if (value !== undefined) return { kind: 'found', value, params };
            allowed ??= [...route.methods.keys()];
        }
        return allowed ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
    }
}
