export const PACKAGE_NAME = '@tuskdb/postmaster';
