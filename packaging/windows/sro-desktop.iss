; Inno Setup script for SRO Desktop on Windows.
; 1. On Windows, build the bundle:  py packaging\build.py
; 2. Compile this script with Inno Setup 6 (iscc packaging\windows\sro-desktop.iss);
;    the installer lands in dist\installer\.
; Installs per user (no administrator rights needed): a volunteer's laptop may be managed
; by their employer's IT department.

#define AppName "SRO Desktop"
#define AppVersion GetEnv("SRO_DESKTOP_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B0E3C55-2F6B-4C1B-9F0B-7E4B1A3F2C11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=SRO Desktop developers
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
OutputDir=..\..\dist\installer
OutputBaseFilename=SRO-Desktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\sro-desktop.ico
UninstallDisplayIcon={app}\sro-desktop.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; GroupDescription: "Shortcuts:"

[Files]
Source: "..\..\dist\sro-desktop\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\sro-desktop.exe"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\sro-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\sro-desktop.exe"; Description: "Start {#AppName}"; Flags: nowait postinstall skipifsilent

; The database lives in the user's data folder, not under {app}: uninstalling never deletes it.
