export const PACKAGE_NAME = '@tuskdb/libpq';
