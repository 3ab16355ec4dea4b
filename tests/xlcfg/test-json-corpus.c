/* Every domain config JSON that Xen 4.17's xl printed (xen-4.17/<corpus>/
 * *.json) is read with libxl_domain_config_from_json and written back:
 * the text must come back byte for byte. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "libxl.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, 0, f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void one(const char *path)
{
	char *text = slurp(path), *out = NULL;
	libxl_domain_config dc;
	int rc;

	libxl_domain_config_init(&dc);
	rc = text ? libxl_domain_config_from_json(NULL, &dc, text) : -1;
	if (!rc)
		out = libxl_domain_config_to_json(NULL, &dc);
	CHECK(!rc && out && !strcmp(out, text), "%s reads and writes back identically%s%s", path,
	      rc ? ": " : "", rc ? libxl_json_last_error() : "");
	free(out);
	free(text);
	libxl_domain_config_dispose(&dc);
}

int main(int argc, char **argv)
{
	const char *top = argc > 1 ? argv[1] : "xen-4.17";
	static const char *const subs[] = { "seeds", "xen-examples", "xlcfg", "xmcfg", "extra" };
	int files = 0;

	for (size_t s = 0; s < sizeof(subs) / sizeof(subs[0]); s++) {
		char dir[4096];
		struct dirent **ents;
		int n;

		snprintf(dir, sizeof(dir), "%s/%s", top, subs[s]);
		n = scandir(dir, &ents, NULL, alphasort);
		for (int i = 0; i < n; i++) {
			size_t l = strlen(ents[i]->d_name);
			if (l > 5 && !strcmp(ents[i]->d_name + l - 5, ".json")) {
				char path[8192];
				snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
				one(path);
				files++;
			}
			free(ents[i]);
		}
		if (n >= 0)
			free(ents);
	}
	CHECK(files > 0, "found Xen 4.17 recordings under %s (%d files)", top, files);
	return check_done();
}
