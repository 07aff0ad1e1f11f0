/* storedesk.h — the public face of libstoredesk, the shop client core.
 * No GTK, and nothing here exposes libsoup, json-glib or libsecret. */
#pragma once

#include "sd-admin.h"
#include "sd-api.h"
#include "sd-cart.h"
#include "sd-catalog.h"
#include "sd-category.h"
#include "sd-checkout.h"
#include "sd-contract.h"
#include "sd-csv.h"
#include "sd-fields.h"
#include "sd-i18n.h"
#include "sd-image-prep.h"
#include "sd-local-server.h"
#include "sd-money.h"
#include "sd-option.h"
#include "sd-order.h"
#include "sd-orders.h"
#include "sd-product.h"
#include "sd-session.h"
#include "sd-upload-queue.h"
#include "sd-user.h"
