# SPDX-License-Identifier: GPL-2.0
#
# lifecycle - records process fork/exec/exit/reap/reparent into /proc/lifecycle
#
#   make                 module/lifecycle.ko against KDIR, and the reader
#   make modules-all     the module for every supported kernel, W=1, no warnings
#   make kmod KVER=V     the module for one kernel, into build/kmod/V/
#   make selftests       build selftests/*.c into build/selftests/
#   make vm [KVER=V]     interactive shell in a VM with the module loaded
#   make check           everything CI checks (DEBUG=0 leaves out the debug kernel)
#   make check-debug     the selftests on the KASAN/lockdep/kmemleak kernel only
#   make checkpatch      checkpatch.pl over every C file
#   make demo            a small process story, recorded and shown
#   make tutorial        docs/tutorial.md, regenerated from runs in the VM
#   make install         the module (for KDIR), the reader and its man page
#   make dkms-install    the module under DKMS (rebuilt for new kernels)
#   make dkms-remove     and out again
#   make deb             Debian packages lifecycle-dkms and lifecycle in build/deb/
#   make clean

# The same as PACKAGE_VERSION in dkms.conf (scripts/dkms-check.sh checks).
VERSION := 0.1
# The newest installed Debian 6.12 (scripts/kmod.sh default: no point release
# is named anywhere); the demo re-reads it after install-deps.
KVER   ?= $(shell scripts/kmod.sh default 6.12 2>/dev/null)
KVERS  := $(shell scripts/kmod.sh list)

# The running kernel's headers if installed, else the newest Debian 6.12.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    /lib/modules/$(KVER)/build)

all: module userspace

module:
	@[ -d /lib/modules/$$(uname -r)/build ] || \
		echo "note: no headers for the running kernel; building against $(KDIR)"
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

modules-all:
	scripts/kmod.sh build $(KVERS)

kmod:
	@[ -n "$(KVER)" ] || { scripts/kmod.sh default 6.12; exit 1; }
	scripts/kmod.sh build $(KVER)

selftests:
	$(MAKE) -C selftests

vm: kmod
	-$(MAKE) -C userspace
	-$(MAKE) -C selftests
	scripts/vm.sh -k $(KVER) -i

check:
	scripts/check.sh

# The tutorial's experiments and the DKMS build, on every kernel, and the
# Debian packages installed in VMs (deb: 8 to 32 minutes a kernel under
# TCG), and the recording service with systemd as PID 1 (systemd: 7 to 10).
check-docs:
	scripts/check.sh deps build tutorial dkms deb systemd

# The debug kernel is plain 6.12.N (no Debian suffix), from ../shared/kernels.
check-debug:
	scripts/check.sh deps debug

checkpatch:
	scripts/check.sh checkpatch

# Sub-makes, so that KVER is chosen after install-deps has installed it.
demo:
	scripts/install-deps.sh
	$(MAKE) kmod
	-$(MAKE) -C userspace	# the demo notes a missing reader
	$(MAKE) demo-run

demo-run:
	scripts/vm.sh -k $(KVER) -- scripts/demo-story.sh

tutorial: kmod
	scripts/tutorial.sh -k $(KVER)

# install: modules_install puts the module in /lib/modules/KREL/extra/ and
# runs depmod; DESTDIR=dir stages everything under dir instead.
PREFIX ?= /usr/local
KREL    = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
DKMS_SRC = /usr/src/lifecycle-$(VERSION)

install: module userspace
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	install -D -m 0755 userspace/lifecycle $(DESTDIR)$(PREFIX)/bin/lifecycle
	install -D -m 0644 userspace/lifecycle.1 \
		$(DESTDIR)$(PREFIX)/share/man/man1/lifecycle.1
	$(if $(DESTDIR),,depmod -a $(KREL))

uninstall:
	rm -f /lib/modules/$(KREL)/extra/module/lifecycle.ko \
		$(PREFIX)/bin/lifecycle $(PREFIX)/share/man/man1/lifecycle.1
	depmod -a $(KREL)

dkms-install:
	rm -rf $(DKMS_SRC)
	scripts/dkms-src.sh $(DKMS_SRC)
	dkms add -m lifecycle -v $(VERSION)
	dkms install -m lifecycle -v $(VERSION)

dkms-remove:
	-dkms remove -m lifecycle -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

dkms-check:
	scripts/dkms-check.sh

# Debian packages (scripts/mkdeb.sh): built in a copy under build/deb/.
deb:
	scripts/mkdeb.sh

clean:
	-[ ! -d "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userspace clean
	-$(MAKE) -C selftests clean
	rm -rf build

.PHONY: all module userspace modules-all kmod selftests vm check check-debug check-docs checkpatch demo demo-run clean \
	tutorial install uninstall dkms-install dkms-remove dkms-check deb
