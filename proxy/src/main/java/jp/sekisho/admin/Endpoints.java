package jp.sekisho.admin;

import io.vertx.ext.web.Router;

/** A group of admin API routes. */
interface Endpoints {

    /** Adds the group's routes, each behind {@link AdminApi#as} with the role it needs. */
    void mount(Router router, AdminApi api);
}
