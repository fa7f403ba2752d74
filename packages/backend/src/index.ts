export const PACKAGE_NAME = '@tuskdb/backend';
