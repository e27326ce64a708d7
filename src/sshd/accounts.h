/*
 * sshd/accounts.h — a user's groups for `Match Group`, from the bytes of /etc/passwd and
 * /etc/group, the way getgrouplist(3) finds them in files: the primary group (passwd's gid)
 * and every group that lists the user as a member, named as in /etc/group.  Users and groups
 * that live elsewhere (LDAP, sssd) are not seen: the user then counts as unknown and
 * Match Group does not match, which the report says.
 */
#ifndef SSHDIAG_SSHD_ACCOUNTS_H
#define SSHDIAG_SSHD_ACCOUNTS_H

#include <stddef.h>

/*
 * *exists: 1 if `user` has a passwd line.  *groups: a malloc'd vector of malloc'd names
 * (free with sshd_groups_free), in /etc/group order, no duplicates.  SD_OK or SD_ERR_ALLOC.
 */
int sshd_user_groups(const char *passwd, size_t plen, const char *group, size_t glen,
                     const char *user, int *exists, char ***groups, size_t *ngroups);
void sshd_groups_free(char **groups, size_t n);

#endif
