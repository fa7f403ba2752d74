export const PACKAGE_NAME = '@tuskdb/psql';
