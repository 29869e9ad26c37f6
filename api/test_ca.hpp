#pragma once
// Old path of api/emulator/emulator_ca.hpp, kept only while server/ still includes it; remove
// once server/ includes the new path.
#include "api/emulator/emulator_ca.hpp"
