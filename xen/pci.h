/* SPDX-License-Identifier: Apache-2.0 */
/* PCI configuration space through the legacy ports 0xcf8/0xcfc. */
#ifndef ATOLL_XEN_PCI_H
#define ATOLL_XEN_PCI_H

#include <stdint.h>

struct pci_dev {
    uint8_t bus, dev, fn;
};

uint32_t pci_read32(struct pci_dev d, uint8_t off);
void pci_write32(struct pci_dev d, uint8_t off, uint32_t v);
/* The first function with this vendor and device id: 0, or -1. */
int pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out);

#endif
