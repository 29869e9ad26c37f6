#pragma once
// Old path of api/time_format.hpp, kept only while server/ still includes it; remove once
// server/ includes the new path.
#include "api/time_format.hpp"
