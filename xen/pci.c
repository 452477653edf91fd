/* SPDX-License-Identifier: Apache-2.0 */
#include "xen/pci.h"

#include "xen/io.h"

static uint32_t addr(struct pci_dev d, uint8_t off)
{
    return 0x80000000u | ((uint32_t)d.bus << 16) | ((uint32_t)d.dev << 11) | ((uint32_t)d.fn << 8) | (off & 0xfcu);
}

uint32_t pci_read32(struct pci_dev d, uint8_t off)
{
    outl(0xcf8, addr(d, off));
    return inl(0xcfc);
}

void pci_write32(struct pci_dev d, uint8_t off, uint32_t v)
{
    outl(0xcf8, addr(d, off));
    outl(0xcfc, v);
}

int pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out)
{
    for (unsigned bus = 0; bus < 256; bus++) {
        for (uint8_t dev = 0; dev < 32; dev++) {
            for (uint8_t fn = 0; fn < 8; fn++) {
                struct pci_dev d = {(uint8_t)bus, dev, fn};
                uint32_t id = pci_read32(d, 0);
                if ((id & 0xffffu) == 0xffffu) {
                    if (fn == 0)
                        break;
                    continue;
                }
                if ((id & 0xffffu) == vendor && (id >> 16) == device) {
                    *out = d;
                    return 0;
                }
                if (fn == 0 && !(pci_read32(d, 0x0c) & 0x00800000u)) /* single-function */
                    break;
            }
        }
    }
    return -1;
}
