# SPDX-License-Identifier: GPL-2.0
#
# lifecycle - records process fork/exec/exit/reap/reparent into /proc/lifecycle
#
#   make                 module/lifecycle.ko against KDIR, and the reader
#   make modules-all     the module for every supported kernel, W=1, no warnings
#   make kmod KVER=V     the module for one kernel, into build/kmod/V/
#   make selftests       build selftests/*.c into build/selftests/
#   make vm [KVER=V]     interactive shell in a VM with the module loaded
#   make check           everything CI checks (DEBUG=1 adds the debug kernel)
#   make checkpatch      checkpatch.pl over every C file
#   make demo            a small process story, recorded and shown
#   make clean

KVER   ?= 6.12.117+deb12-amd64
KVERS  := $(shell scripts/kmod.sh list)

# The running kernel's headers if installed, else the newest Debian 6.12.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /lib/modules/6.12.*+deb12-amd64/build))))

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
	scripts/kmod.sh build $(KVER)

selftests:
	$(MAKE) -C selftests

vm: kmod
	-$(MAKE) -C userspace
	-$(MAKE) -C selftests
	scripts/vm.sh -k $(KVER) -i

check:
	scripts/check.sh

checkpatch:
	scripts/check.sh checkpatch

demo:
	scripts/install-deps.sh
	$(MAKE) kmod KVER=$(KVER)
	-$(MAKE) -C userspace	# the demo notes a missing reader
	scripts/vm.sh -k $(KVER) -- scripts/demo-story.sh

clean:
	-[ ! -d "$(KDIR)" ] || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userspace clean
	-$(MAKE) -C selftests clean
	rm -rf build

.PHONY: all module userspace modules-all kmod selftests vm check checkpatch demo clean
